// Releasing at scale (issue #15): publish → `on('change')` in N subscribers, N = 100, 1,000, 10,000, on loopback,
// through (a) `streamHandler` in one Node process (node:http + flagstage/node's toNode) and (b) nginx + nchan
// (Debian's libnginx-mod-nchan; the README's configuration). Subscribers are real flagstage clients,
// `createClient({ source: sse(url) })`, spread over several child processes (at most 2,500 each), so the
// server side is one process and the clients' own work does not share its thread.
//
// Per release: the parent tells every subscriber process which revision to wait for, then takes the wall
// clock (performance.timeOrigin + performance.now(), one clock for every process on the machine) and
// publishes: (a) an IPC message to the server process, whose source emits the config; (b) a POST of the
// config to nchan's publisher location (what `flagstage publish --to nchan:` sends). Each client records
// the wall clock in its `change` listener. Latency = that minus the publish instant: p50, p99 and the
// slowest client over every client and release (warm-up release not counted). Releases toggle `flag-0`
// (every client's evaluation changes) in a 50-flag config; streamHandler sends them as merge patches,
// nchan as whole configs.
//
// Server memory per open connection: RSS (and, for Node, heap after a GC) with N subscribers connected
// minus before any, divided by N. CPU per published change: the server process's user+system CPU time
// from the publish to the last client's change, averaged over the releases (nginx: its worker, from
// /proc, 10 ms ticks). Subscriber processes' CPU is not counted.
//   node run/stream-fanout.mjs [--smoke] [--only=stream|nchan] [--n=100,1000] [--no-raw]
// A last row per server repeats the largest N with raw event-stream readers (no flagstage client): delivery alone.
import { fork } from 'node:child_process'
import { accessSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, sse } from 'flagstage'
import { coldConfigJson } from '../configs/generate.mjs'

const SELF = fileURLToPath(import.meta.url)
const PER_PROCESS = 2_500
const BATCH = 250
const WAIT_MS = 60_000
const wall = () => performance.timeOrigin + performance.now()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const base = JSON.parse(coldConfigJson('flagstage', 50))
const configOf = (k) => ({
  ...base,
  revision: `rel-${k}`,
  flags: { ...base.flags, 'flag-0': k % 2 ? { enabled: false } : { enabled: true, rules: [{ serve: 'on' }] } },
})

export const CASES = { full: { ns: [100, 1_000, 10_000], releases: 5 }, smoke: { ns: [20], releases: 2 } }
const NGINX = '/usr/sbin/nginx'
const NCHAN = '/usr/lib/nginx/modules/ngx_nchan_module.so'
const installed = (path) => {
  try {
    accessSync(path)
    return true
  } catch {
    return false
  }
}

// ---------- child roles ----------

/** The streamHandler server: one Node process, its config driven by IPC. */
const serverRole = async () => {
  const { streamHandler } = await import('flagstage/server')
  const { toNode } = await import('flagstage/node')
  let emit
  const client = createClient({ source: { start: (e) => ((emit = e), () => {}) } })
  emit(configOf(0))
  const handler = streamHandler({ client, heartbeatMs: 15_000 })
  const server = http.createServer(toNode(handler))
  server.keepAliveTimeout = 0
  await new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 8_192 }, resolve))
  const stats = () => {
    globalThis.gc?.()
    const cpu = process.cpuUsage()
    const m = process.memoryUsage()
    return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers, cpuUs: cpu.user + cpu.system, connections: handler.connections }
  }
  process.on('message', (m) => {
    if (m.publish) {
      emit(m.publish)
      process.send({ published: true })
    } else if (m.stats) process.send({ stats: stats() })
    else if (m.cpu) {
      const cpu = process.cpuUsage()
      process.send({ cpuUs: cpu.user + cpu.system })
    } else if (m.stop) {
      handler.close()
      server.close()
      server.closeAllConnections()
      process.disconnect()
    }
  })
  process.send({ port: server.address().port })
}

/**
 * The parent's side of a subscriber process, for both kinds: `{ expect: revision }` arms a wait, answered with
 * the arrival times once all `count` subscribers have that revision (or after WAIT_MS with those that did);
 * `{ stop }` runs `close` and disconnects. `arrived(revision, i)` records subscriber `i` (once per revision).
 */
const subscriberProtocol = (count, close) => {
  const waiting = new Map() // revision -> { times, got, timer }
  const done = (revision) => {
    const w = waiting.get(revision)
    if (!w) return
    clearTimeout(w.timer)
    waiting.delete(revision)
    process.send({ revision, times: w.times, missing: count - w.times.length })
  }
  process.on('message', (m) => {
    if (m.expect) {
      waiting.set(m.expect, { times: [], got: new Set(), timer: setTimeout(() => done(m.expect), WAIT_MS) })
      process.send({ expecting: m.expect })
    } else if (m.stop) {
      close()
      process.disconnect()
    }
  })
  const arrived = (revision, i) => {
    const w = waiting.get(revision)
    if (!w || w.got.has(i)) return
    w.got.add(i)
    w.times.push(wall())
    if (w.times.length === count) done(revision)
  }
  return { waiting, arrived }
}

/** A subscriber process: `count` flagstage clients on `url`, reporting when each sees a revision. */
const subscriberRole = async (url, fallbackUrl, count) => {
  const clients = []
  const { arrived } = subscriberProtocol(count, () => { for (const c of clients) c.close() })
  let failed = 0
  const options = { timeoutMs: WAIT_MS, idleTimeoutMs: 600_000, fallbackPollMs: 3_600_000, retryBaseMs: 200, retryMaxMs: 2_000, ...(fallbackUrl && { fallbackUrl }) }
  for (let i = 0; i < count; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => {
      const c = createClient({ source: sse(url, options) })
      c.on('error', () => {})
      c.on('change', (e) => arrived(e.revision, i + j))
      return c
    })
    await Promise.all(batch.map((c) => c.ready({ timeoutMs: WAIT_MS })))
    failed += batch.filter((c) => !c.getConfig()).length
    clients.push(...batch)
  }
  process.send({ ready: true, failed })
}

/**
 * A raw subscriber process: `count` plain node:http event-stream readers, no flagstage client. Records when
 * the bytes naming a revision arrive: what the server delivers, without the clients' parse / validate /
 * evaluate work (which, for 10,000 clients on one 2-core machine, is most of the end-to-end time).
 */
const rawRole = async (url, count) => {
  const requests = []
  const { waiting, arrived } = subscriberProtocol(count, () => { for (const r of requests) r.destroy() })
  const tails = []
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })
  const connectOne = (i) => new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8')
      let first = true
      res.on('data', (text) => {
        if (first) { first = false; resolve() }
        const seen = tails[i] + text
        tails[i] = seen.slice(-64)
        for (const [revision, w] of waiting) if (!w.got.has(i) && seen.includes(`"revision":"${revision}"`)) arrived(revision, i)
      })
    })
    req.on('error', () => resolve())
    requests.push(req)
  })
  for (let i = 0; i < count; i += BATCH) {
    const batch = []
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      tails[j] = ''
      batch.push(connectOne(j))
    }
    await Promise.all(batch)
  }
  process.send({ ready: true, failed: 0 })
}

// ---------- parent ----------

const nextMessage = (child, pick) =>
  new Promise((resolve, reject) => {
    const on = (m) => {
      const v = pick(m)
      if (v === undefined) return
      child.off('message', on)
      child.off('exit', onExit)
      resolve(v)
    }
    const onExit = (code) => reject(new Error(`child exited (${code}) before answering`))
    child.on('message', on)
    child.once('exit', onExit)
  })

const forkRole = (role, args, nodeFlags = []) =>
  fork(SELF, ['--role', role, ...args], { execArgv: nodeFlags, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })

/** nginx + nchan in a temp directory: the README's configuration, sized for 10,000 subscribers. */
const startNchan = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagstage-bench-nchan-'))
  for (const sub of ['www', 'logs', 'tmp']) mkdirSync(join(dir, sub))
  const port = 20_000 + Math.floor(Math.random() * 10_000)
  writeFileSync(join(dir, 'www/flags.json'), JSON.stringify(configOf(0)))
  writeFileSync(join(dir, 'nginx.conf'), `load_module ${NCHAN};
daemon off; master_process on; worker_processes 1; worker_rlimit_nofile 20000;
pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log warn;
events { worker_connections 16384; }
http { access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; scgi_temp_path ${dir}/tmp/scgi;
  fastcgi_temp_path ${dir}/tmp/fcgi; uwsgi_temp_path ${dir}/tmp/uwsgi;
  server { listen 127.0.0.1:${port} backlog=8192; root ${dir}/www; etag on;
    location = /flags.json { add_header Cache-Control "no-cache"; }
    location = /pub/flags { nchan_publisher; nchan_channel_id flags; nchan_message_buffer_length 16; nchan_message_timeout 1h; }
    location = /sub/flags { nchan_subscriber eventsource; nchan_channel_id flags; nchan_eventsource_event config; nchan_subscriber_first_message -1; }
  } }
`)
  const { spawn } = await import('node:child_process')
  const master = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')], { stdio: 'inherit' })
  const origin = `http://127.0.0.1:${port}`
  const publish = async (doc) => {
    const res = await fetch(`${origin}/pub/flags`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-eventsource-event': 'config' }, body: JSON.stringify(doc) })
    await res.text()
    if (res.status >= 300) throw new Error(`nchan publish: ${res.status}`)
  }
  for (let i = 0; ; i++) {
    try {
      await publish(configOf(0))
      break
    } catch (error) {
      if (i > 200) throw error
      await sleep(25)
    }
  }
  const worker = () => Number(readFileSync(`/proc/${master.pid}/task/${master.pid}/children`, 'utf8').trim().split(/\s+/)[0])
  const procStats = () => {
    const pid = worker()
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    const cpuUs = ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100 // utime + stime, in 100 Hz ticks
    return { rss, cpuUs }
  }
  return {
    url: `${origin}/sub/flags`,
    fallbackUrl: `${origin}/flags.json`,
    publish,
    stats: async () => procStats(),
    cpu: async () => procStats().cpuUs,
    stop: async () => {
      const exited = new Promise((resolve) => master.once('exit', resolve))
      master.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const startStreamServer = async () => {
  const server = forkRole('server', [], ['--expose-gc'])
  const port = await nextMessage(server, (m) => m.port)
  const ask = (m, pick) => {
    const answer = nextMessage(server, pick)
    server.send(m)
    return answer
  }
  return {
    url: `http://127.0.0.1:${port}/stream`,
    fallbackUrl: undefined,
    publish: (doc) => ask({ publish: doc }, (m) => m.published),
    stats: () => ask({ stats: true }, (m) => m.stats),
    cpu: () => ask({ cpu: true }, (m) => m.cpuUs),
    stop: async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.send({ stop: true })
      await exited
    },
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]

export const runCase = async (mode, n, releases, clients = 'flagstage') => {
  const server = mode === 'nchan' ? await startNchan() : await startStreamServer()
  const subs = []
  try {
    const before = await server.stats()
    const procs = Math.max(1, Math.ceil(n / PER_PROCESS))
    const t0 = wall()
    for (let p = 0; p < procs; p++) {
      const count = Math.floor(n / procs) + (p < n % procs ? 1 : 0)
      subs.push(clients === 'raw' ? forkRole('raw', [server.url, String(count)]) : forkRole('subscribers', [server.url, server.fallbackUrl ?? '', String(count)]))
    }
    const ready = await Promise.all(subs.map((s) => nextMessage(s, (m) => (m.ready ? m : undefined))))
    const connectMs = wall() - t0
    const failed = ready.reduce((a, r) => a + r.failed, 0)
    await sleep(200)
    const after = await server.stats()
    const latencies = []
    let slowest = 0
    let missing = 0
    let cpuUs = 0
    for (let k = 1; k <= releases + 1; k++) {
      const revision = `rel-${k}`
      await Promise.all(subs.map((s) => {
        const ack = nextMessage(s, (m) => (m.expecting === revision ? true : undefined))
        s.send({ expect: revision })
        return ack
      }))
      const answers = Promise.all(subs.map((s) => nextMessage(s, (m) => (m.revision === revision ? m : undefined))))
      const cpu0 = await server.cpu()
      const at = wall()
      await server.publish(configOf(k))
      const got = await answers
      const cpu1 = await server.cpu()
      if (k === 1) continue // warm-up
      cpuUs += cpu1 - cpu0
      for (const g of got) {
        missing += g.missing
        for (const t of g.times) latencies.push(t - at)
      }
      slowest = Math.max(slowest, ...got.flatMap((g) => g.times.map((t) => t - at)))
      await sleep(100)
    }
    latencies.sort((a, b) => a - b)
    const perConn = (a, b) => (b - a) / n
    return {
      mode, n, clients, procs, releases, failed, missing, connectMs,
      p50: pct(latencies, 50), p99: pct(latencies, 99), slowest,
      rssPerConn: perConn(before.rss, after.rss),
      heapPerConn: after.heap !== undefined ? perConn(before.heap, after.heap) : undefined,
      connections: after.connections,
      cpuMsPerChange: cpuUs / releases / 1000,
    }
  } catch (error) {
    return { mode, n, error: String(error?.stack ?? error).split('\n').slice(0, 2).join(' | ') }
  } finally {
    for (const s of subs) if (s.connected) s.send({ stop: true })
    await Promise.all(subs.map((s) => (s.exitCode === null ? new Promise((resolve) => s.once('exit', resolve)) : undefined)))
    await server.stop()
  }
}

/** Every case: `{ results: [...] }`. nchan rows carry `error` where nginx or the module is missing. */
export const run = async ({ smoke = false, only, ns, raw = !smoke } = {}) => {
  const spec = smoke ? CASES.smoke : CASES.full
  const results = []
  for (const mode of ['stream', 'nchan']) {
    if (only && !only.includes(mode)) continue
    for (const n of ns ?? spec.ns) {
      if (mode === 'nchan' && !(installed(NGINX) && installed(NCHAN))) {
        results.push({ mode, n, error: `nginx + nchan not installed (${NGINX}, ${NCHAN}): apt-get install nginx libnginx-mod-nchan` })
        continue
      }
      console.error(`[bench] fan-out ${mode} N=${n} ...`)
      results.push(await runCase(mode, n, spec.releases))
    }
    // Delivery alone at the largest N: raw event-stream readers instead of flagstage clients.
    const top = Math.max(...(ns ?? spec.ns))
    if (raw && (mode === 'stream' || (installed(NGINX) && installed(NCHAN)))) {
      console.error(`[bench] fan-out ${mode} N=${top} raw readers ...`)
      results.push(await runCase(mode, top, spec.releases, 'raw'))
    }
  }
  return { results }
}

const ms = (x) => (x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(0))
const kb = (x) => (x === undefined ? '–' : (x / 1024).toFixed(1))
export const fanoutTable = ({ results }) => [
  '### Releasing at scale: publish → `change` in N sse() clients (loopback)',
  '',
  'Subscribers: real `createClient({ source: sse(url) })` clients in child processes (≤ 2,500 each). Latency from the publish instant',
  'to each client\'s `change` listener, over every client and release (warm-up excluded). Server memory: (RSS with N connected − before) / N;',
  'Node heap (after GC) likewise. CPU: the server process per published change (nginx: its one worker, 10 ms ticks).',
  '',
  '| server | N | p50 ms | p99 ms | slowest ms | RSS / conn kB | heap / conn kB | CPU / change ms | connect all s | missed |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map((r) => r.error
    ? `| ${r.mode} | ${r.n} | ${r.error} | | | | | | | |`
    : `| ${r.mode === 'nchan' ? 'nginx + nchan' : 'streamHandler (1 Node process)'}${r.clients === 'raw' ? ', raw readers (delivery only)' : ''} | ${r.n.toLocaleString('en-US')} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.slowest)} | ${kb(r.rssPerConn)} | ${kb(r.heapPerConn)} | ${ms(r.cpuMsPerChange)} | ${(r.connectMs / 1000).toFixed(1)} | ${r.failed + r.missing} |`),
].join('\n')

export const fanoutProblems = ({ results }, { ci = !!process.env.CI } = {}) => results.flatMap((r) => {
  if (r.error) return r.error.includes('not installed') && !ci ? [] : [`fan-out ${r.mode} N=${r.n}: ${r.error}`]
  return r.failed || r.missing ? [`fan-out ${r.mode} N=${r.n}: ${r.failed} clients never loaded, ${r.missing} changes never arrived`] : []
})

const argv = process.argv.slice(2)
const role = argv[argv.indexOf('--role') + 1]
if (argv.includes('--role')) {
  if (role === 'server') await serverRole()
  else if (role === 'raw') await rawRole(argv[argv.indexOf('--role') + 2], Number(argv[argv.indexOf('--role') + 3]))
  else await subscriberRole(argv[argv.indexOf('--role') + 2], argv[argv.indexOf('--role') + 3] || undefined, Number(argv[argv.indexOf('--role') + 4]))
} else if (process.argv[1] === SELF) {
  const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',')
  const ns = argv.find((a) => a.startsWith('--n='))?.slice(4).split(',').map(Number)
  const res = await run({ smoke: argv.includes('--smoke'), only, ns, raw: !argv.includes('--no-raw') && !argv.includes('--smoke') })
  console.log(fanoutTable(res))
  console.log(JSON.stringify(res))
}
