// SSE update latency (DESIGN section 9: "an SSE push reaches on('change') listeners in under 50 ms on
// loopback"). A real `node:http` server on 127.0.0.1:0 streams a flagstage config as server-sent events
// (`event: config`, `id:` the revision, `data:` the whole config as one line of JSON). N clients,
// `createClient({ source: sse(url) })`, connect and load it; once all are ready and each has a `change`
// listener, the server pushes a new config K times: each push toggles `flag-0` (a plain flag, so every
// client's evaluation changes) and bumps the revision. A push waits until every client has seen the previous
// one (or 10 s), then ~50 ms more, so pushes never queue behind each other.
//
// Measured: `process.hrtime` just before the server's `res.write` of that client's stream, to the first line of
// that client's `on('change')` listener (same process, same clock). What lies between: the loopback socket,
// undici's fetch body stream, eventsource-parser, JSON.parse, validateConfig, compile, and the snapshot diff
// that decides which keys changed for the client's context (the whole config is evaluated). Warmup pushes
// (not counted) come first. All events are serialised before the server starts, so the only garbage collected
// during the pushes is the clients' own (the previous config, snapshots): steady state. The CPU time of the whole process from the first write of a push to the last
// client's listener is kept too: divided by N it is what one client spends on one update.
//
// All clients share this process's one thread, so with N clients the k-th client to be served waits for the
// k-1 before it: the "first client" column (per push, the fastest of the N) is what one client alone on
// a machine would see; the all-client figures include that queueing. A browser or a server holds one client.
//
// Each case runs in its own child process, which must exit on its own once the clients and the server are
// closed (an unref'd watchdog reports any handle left open instead of the result).
//   node run/sse-latency.mjs [--smoke]
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { createClient, sse } from 'flagstage'
import { coldConfigJson } from '../configs/generate.mjs'
import { cpuNs, median } from '../harness.mjs'
import { runChild, scenarioMain } from '../lib/child.mjs'

const SELF = fileURLToPath(import.meta.url)
const TOGGLED = 'flag-0' // plain flag, on in the generated config
const SPACING_MS = 50
const PUSH_TIMEOUT_MS = 10_000

/** [flags, clients, pushes, warmup] */
export const CASES = {
  full: [[50, 1, 30, 5], [50, 50, 30, 5], [10_000, 1, 30, 5], [10_000, 10, 5, 1]],
  smoke: [[50, 5, 3, 1], [10_000, 1, 1, 1]],
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]

const child = async ([flagsArg, clientsArg, pushesArg, warmupArg]) => {
  const nFlags = Number(flagsArg)
  const nClients = Number(clientsArg)
  const pushes = Number(pushesArg)
  const warmup = Number(warmupArg)
  const base = JSON.parse(coldConfigJson('flagstage', nFlags))
  const docOf = (k) => ({
    ...base,
    revision: `push-${k}`,
    flags: { ...base.flags, [TOGGLED]: k % 2 ? { enabled: false } : { enabled: true, rules: [{ serve: 'on' }] } },
  })
  const eventOf = (k) => Buffer.from(`event: config\nid: push-${k}\ndata: ${JSON.stringify(docOf(k))}\n\n`)

  // Every event is serialised before the server starts, and the heap collected once (--expose-gc), so the
  // only garbage collected during the pushes is what the clients (and the server's writes) make.
  const events = Array.from({ length: warmup + pushes + 1 }, (_, k) => eventOf(k))
  globalThis.gc?.()
  let current = events[0]
  const streams = new Map() // client index (from its x-bench-client header) -> its ServerResponse
  let otherRequests = 0
  const server = http.createServer((req, res) => {
    if (req.url === '/stream' && /event-stream/.test(req.headers.accept ?? '')) {
      const id = Number(req.headers['x-bench-client'])
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      res.write(current)
      streams.set(id, res)
      res.on('close', () => { if (streams.get(id) === res) streams.delete(id) })
      return
    }
    otherRequests++ // the sse() fallback poll: only while a stream is down (should not happen here)
    res.writeHead(503).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/stream`

  // Per client: revision -> hrtime of its change listener.
  const seen = [] // per client: Map revision -> hrtime bigint
  const errors = []
  let waiting // { revision, left, resolve }
  const clients = []
  for (let i = 0; i < nClients; i++) {
    // The header only tells the server which stream is whose, so each latency is taken from that stream's write.
    const c = createClient({ source: sse(url, { headers: { 'x-bench-client': String(i) } }), context: { userId: `sse-client-${i}`, country: 'US', plan: 'pro' } })
    c.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
    clients.push(c)
    seen.push(new Map())
  }
  const statuses = await Promise.all(clients.map((c) => c.ready({ timeoutMs: 30_000 })))
  const notReady = statuses.filter((s) => s.state !== 'ready' || s.revision !== 'push-0').length
  clients.forEach((c, i) => {
    c.on('change', ({ keys, revision }) => {
      const t = process.hrtime.bigint()
      if (!keys.includes(TOGGLED)) errors.push(`client ${i}: change without ${TOGGLED} (${keys.join(',')})`)
      seen[i].set(revision, t)
      if (waiting && revision === waiting.revision && --waiting.left === 0) waiting.resolve()
    })
  })
  if (streams.size !== nClients) errors.push(`${streams.size} streams open for ${nClients} clients`)

  const samples = [] // ms, every (push, client)
  const firsts = [] // ms, fastest client per push
  const cpuPerPush = [] // ms of process CPU from the first write to the last listener
  let missed = 0
  for (let k = 1; k <= warmup + pushes; k++) {
    const revision = `push-${k}`
    current = events[k]
    const done = new Promise((resolve) => { waiting = { revision, left: nClients, resolve } })
    const timeout = new Promise((resolve) => setTimeout(resolve, PUSH_TIMEOUT_MS).unref())
    const c0 = cpuNs()
    const writes = new Array(nClients) // client -> hrtime just before the write to its stream
    for (const [i, res] of streams) {
      writes[i] = process.hrtime.bigint()
      res.write(current)
    }
    await Promise.race([done, timeout])
    const c1 = cpuNs()
    waiting = undefined
    if (k <= warmup) { await new Promise((r) => setTimeout(r, SPACING_MS)); continue }
    let pushFirst = Infinity
    for (let i = 0; i < nClients; i++) {
      const t = seen[i].get(revision)
      if (t === undefined || writes[i] === undefined) { missed++; continue }
      const ms = Number(t - writes[i]) / 1e6
      samples.push(ms)
      pushFirst = Math.min(pushFirst, ms)
    }
    if (pushFirst < Infinity) firsts.push(pushFirst)
    cpuPerPush.push((c1 - c0) / 1e6)
    await new Promise((r) => setTimeout(r, SPACING_MS))
  }

  for (const c of clients) c.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    flags: nFlags,
    clients: nClients,
    pushes,
    eventBytes: current.length,
    notReady,
    missed,
    otherRequests,
    errors: [...new Set(errors)].slice(0, 5),
    n: samples.length,
    median: median(sorted),
    p95: pct(sorted, 95),
    max: sorted.at(-1),
    min: sorted[0],
    firstMedian: median(firsts),
    cpuPerPush: median(cpuPerPush),
  }
}

export const run = async ({ smoke = false } = {}) => {
  const results = []
  for (const [flags, clients, pushes, warmup] of CASES[smoke ? 'smoke' : 'full']) {
    const res = await runChild(SELF, [flags, clients, pushes, warmup].map(String), { nodeFlags: ['--expose-gc'], timeoutMs: smoke ? 30_000 : 180_000 })
    results.push({ flags, clients, pushes, ...res })
  }
  return { results }
}

/** Problems for run.mjs (never timings): a missed push, an error event, a client not ready, a hung process. */
export const sseProblems = ({ results }) => {
  const out = []
  for (const r of results) {
    const id = `sse ${r.flags} flags x ${r.clients} clients`
    if (r.error) { out.push(`${id}: ${r.error}`); continue }
    if (r.notReady) out.push(`${id}: ${r.notReady} client(s) not ready`)
    if (r.missed) out.push(`${id}: ${r.missed} change event(s) never arrived`)
    if (r.otherRequests) out.push(`${id}: ${r.otherRequests} fallback request(s) (a stream went down)`)
    for (const e of r.errors ?? []) out.push(`${id}: ${e}`)
  }
  return out
}

const ms = (v) => (v === undefined || v === null ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2))
const kib = (b) => (b >= 1024 * 100 ? `${(b / 1024).toFixed(0)} KiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`)

export const sseTable = ({ results }) => {
  const lines = [
    "### SSE update latency: server `res.write` → client `on('change')` (loopback, ms of wall time)",
    '',
    '| config | clients | event size | pushes × clients | median | p95 | max | first client per push (median) | CPU per push, all clients (median) | CPU per client update |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of results) {
    const head = `${r.flags.toLocaleString('en-US')} flags | ${r.clients}`
    if (r.error) { lines.push(`| ${head} | ${r.error} | | | | | | | |`); continue }
    lines.push(`| ${head} | ${kib(r.eventBytes)} | ${r.n}${r.missed ? ` (${r.missed} missed)` : ''} | ${ms(r.median)} | ${ms(r.p95)} | ${ms(r.max)} | ${ms(r.firstMedian)} | ${ms(r.cpuPerPush)} | ${ms(r.cpuPerPush / r.clients)} |`)
  }
  lines.push('', "A real `node:http` server on 127.0.0.1 and `createClient({ source: sse(url) })` clients in one process (undici fetch). " +
    'Each push is a whole config with `flag-0` toggled and a new revision, sent after every client has seen the previous one plus 50 ms; warmup pushes not counted. ' +
    'Latency covers the socket, the stream reader, the SSE parser, JSON.parse, validation, compilation and the diff of the whole config evaluated for the client\'s context. ' +
    'All clients share one thread, so with several clients each waits for those served before it (a real browser or server holds one client): ' +
    '"first client" is the fastest client of each push, "CPU per client update" the process CPU time of a push divided by the clients.')
  return lines.join('\n')
}

await scenarioMain(import.meta.url, { child, report: async ({ smoke }) => sseTable(await run({ smoke })) })
