// W1 as an application meets it (issue 12): a fresh Node process per sample, timed from the very first
// call. A config of 100 filler flags (plain, kill-switched, rollouts, targeting, splits) plus the W1 flag;
// 10,000 context objects of 8 shapes (different attributes, different orders), cycled; and the check made
// the way apps write it, through a per-call wrapper made by one helper for every flag:
//
//   const check = (key) => (ctx) => client.forContext(ctx).isEnabled(key)
//
// The wrappers share one function literal (one feedback vector), and other call sites use them with the
// filler flags between the timed runs, so the code behind `forContext(ctx).isEnabled` sees every kind of
// flag and every context shape, as in a real server. `Map.get` through the same kind of wrapper is the
// floor, in the same process. Time is CPU time (process.cpuUsage: all threads, so GC helpers and
// TurboFan's compile thread count). Reported per process: the first 10,000 calls (cold: interpreter and
// baseline code, the young generation still growing), the first 1,000,000 (what a short benchmark timed
// from the first call sees), and the steady state (7 rounds of 1,000,000, the W1 and floor runs
// alternating, app traffic between rounds); plus the bytes allocated per call, and the steady state of the
// same check on a second client fed by `http()` from a local server (what most servers run).
//   node run/w1-fresh.mjs [--smoke]
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import { median } from '../harness.mjs'
import { runChild, scenarioMain } from '../lib/child.mjs'
import { FLAGS, makeUsers, SPLIT, TARGET_COUNTRIES } from '../lib/workloads.mjs'

const SELF = fileURLToPath(import.meta.url)
const FILLERS = 100
const KEY = FLAGS.w1

/** The fillers: a fifth each of plain on, kill-switched, 50% rollouts, country/plan targeting, 50/30/20 splits. */
export const freshConfig = () => {
  const flags = {}
  for (let i = 0; i < FILLERS; i++) {
    const m = i % 5
    flags[`filler-${i}`] =
      m === 0 ? { enabled: true, rules: [{ serve: 'on' }] }
      : m === 1 ? { enabled: false }
      : m === 2 ? { enabled: true, rules: [{ serve: { rollout: 50 } }] }
      : m === 3 ? {
          enabled: true,
          rules: [{ if: { all: [{ attr: 'country', op: 'in', values: TARGET_COUNTRIES }, { attr: 'plan', op: 'eq', value: 'pro' }] }, serve: 'on' }],
        }
      : {
          enabled: true, variants: Object.fromEntries(SPLIT.map(([v]) => [v, v])), offVariant: 'control',
          rules: [{ serve: { split: Object.fromEntries(SPLIT) } }],
        }
  }
  flags[KEY] = { enabled: true, rules: [{ serve: 'on' }] }
  return { schemaVersion: 1, revision: 'w1-fresh', flags }
}

/** 8 shapes: what different routes, logged-in and anonymous users put in a context. */
const SHAPES = [
  (u) => ({ userId: u.userId }),
  (u) => ({ userId: u.userId, country: u.country }),
  (u) => ({ userId: u.userId, country: u.country, plan: u.plan }),
  (u) => ({ plan: u.plan, country: u.country, userId: u.userId }),
  (u, i) => ({ sessionId: `s-${i}`, country: u.country }),
  (u, i) => ({ userId: u.userId, email: `${u.userId}@example.com`, plan: u.plan, beta: i % 3 === 0 }),
  (u, i) => ({ tenant: `t-${i % 17}`, role: 'member', userId: u.userId, country: u.country, plan: u.plan }),
  (u, i) => ({ anonymousId: `a-${i}`, locale: 'en-US', appVersion: '4.2.0' }),
]
export const freshContexts = () => makeUsers().map((u, i) => SHAPES[i % SHAPES.length](u, i))

const cpuNs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) * 1000
}
const newSpaceUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size

// One timing loop per entry (as an app's call site is its own), written out twice so neither shares feedback.
function loopFlag(check, ctxs, iters) {
  let hits = 0
  for (let i = 0, j = 0; i < iters; i++) {
    if (check(ctxs[j]) === true) hits++
    if (++j === ctxs.length) j = 0
  }
  return hits
}
function loopHttp(check, ctxs, iters) {
  let hits = 0
  for (let i = 0, j = 0; i < iters; i++) {
    if (check(ctxs[j]) === true) hits++
    if (++j === ctxs.length) j = 0
  }
  return hits
}
function loopFloor(check, ctxs, iters) {
  let hits = 0
  for (let i = 0, j = 0; i < iters; i++) {
    if (check(ctxs[j]) === true) hits++
    if (++j === ctxs.length) j = 0
  }
  return hits
}

const child = async ([smokeArg]) => {
  const smoke = smokeArg === 'smoke'
  const { createClient, http } = await import('flagstage')
  const config = freshConfig()
  const client = createClient({ bootstrap: config })
  const map = new Map(Object.keys(config.flags).map((k) => [k, k === KEY || config.flags[k].rules?.[0]?.serve === 'on']))
  const ctxs = freshContexts()
  // The app's helpers: one literal each, every flag's check a closure of it.
  const check = (key) => (ctx) => client.forContext(ctx).isEnabled(key)
  const lookup = (key) => (ctx) => map.get(key)
  const fillerChecks = Object.keys(config.flags).filter((k) => k !== KEY).map(check)
  // Other call sites: a request handler reading a few filler flags per context, and one using variant().
  let sink = 0
  const appTraffic = (n) => {
    for (let i = 0; i < n; i++) {
      const ctx = ctxs[(i * 7919) % ctxs.length]
      if (fillerChecks[i % fillerChecks.length](ctx)) sink++
      if (client.forContext(ctx).variant(`filler-${(i * 5 + 4) % FILLERS}`).name === 'blue') sink++
    }
  }

  const flagCheck = check(KEY)
  const floorCheck = lookup(KEY)
  const cold = smoke ? 1_000 : 10_000
  const short = smoke ? 5_000 : 1_000_000
  const iters = smoke ? 2_000 : 1_000_000
  const rounds = smoke ? 2 : 7
  const timed = (loop, fn, n) => {
    const c0 = cpuNs()
    const hits = loop(fn, ctxs, n)
    const ns = (cpuNs() - c0) / n
    if (hits !== n) throw new Error(`${fn === floorCheck ? 'Map.get' : 'flagstage'}: ${hits} of ${n} on`)
    return ns
  }
  // Timed from the first call: the first `cold` calls, then the rest of the first `short`.
  const firstFlag = timed(loopFlag, flagCheck, cold)
  const restFlag = timed(loopFlag, flagCheck, short - cold)
  const firstFloor = timed(loopFloor, floorCheck, cold)
  const restFloor = timed(loopFloor, floorCheck, short - cold)
  const out = {
    counts: { cold, short, iters, rounds },
    cold: { flagstage: firstFlag, floor: firstFloor },
    short: { flagstage: (firstFlag * cold + restFlag * (short - cold)) / short, floor: (firstFloor * cold + restFloor * (short - cold)) / short },
    steady: { flagstage: [], floor: [], ratio: [] },
  }
  appTraffic(smoke ? 1_000 : 50_000)
  const bytes = []
  for (let r = 0; r < rounds; r++) {
    const a = timed(loopFlag, flagCheck, iters)
    // Bytes allocated per call (untimed): new-space growth over a batch too small to trigger a scavenge.
    const u0 = newSpaceUsed()
    loopFlag(flagCheck, ctxs, 1000)
    const d = newSpaceUsed() - u0
    if (d >= 0) bytes.push(d / 1000)
    const b = timed(loopFloor, floorCheck, iters)
    out.steady.flagstage.push(a)
    out.steady.floor.push(b)
    out.steady.ratio.push(a / b)
    appTraffic(smoke ? 500 : 20_000)
  }
  out.bytesPerCall = bytes.length ? median(bytes) : undefined
  // The same check on a client fed by http() from a local server, as most servers run (its source is
  // asked to check on itself when forContext is used), after the rows above, with its own wrapper.
  const server = createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(config)))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const polled = createClient({ source: http(`http://127.0.0.1:${server.address().port}/flags.json`, { pollMs: 600_000 }) })
  await polled.ready({ timeoutMs: 10_000 })
  const viaHttp = (key) => (ctx) => polled.forContext(ctx).isEnabled(key)
  const httpCheck = viaHttp(KEY)
  out.http = { flagstage: [], floor: [], ratio: [] }
  for (let r = 0; r < rounds; r++) {
    await new Promise((resolve) => setImmediate(resolve)) // a new task, as a new request would be
    const a = timed(loopHttp, httpCheck, iters)
    const b = timed(loopFloor, floorCheck, iters)
    out.http.flagstage.push(a)
    out.http.floor.push(b)
    out.http.ratio.push(a / b)
  }
  out.sink = sink
  polled.close()
  server.close()
  client.close()
  return out
}

/** { processes, rows: per process results }, summarized: medians over processes. */
export const run = async ({ smoke = false } = {}) => {
  const processes = smoke ? 1 : 5
  const runs = []
  for (let p = 0; p < processes; p++) runs.push(await runChild(SELF, [smoke ? 'smoke' : 'full'], { timeoutMs: smoke ? 60_000 : 300_000 }))
  const ok = runs.filter((x) => x && !x.error)
  if (!ok.length) return { processes, error: runs[0]?.error ?? 'no result' }
  const m = (f) => median(ok.map(f))
  return {
    processes: ok.length,
    counts: ok[0].counts,
    cold: { flagstage: m((x) => x.cold.flagstage), floor: m((x) => x.cold.floor), ratio: m((x) => x.cold.flagstage / x.cold.floor) },
    short: { flagstage: m((x) => x.short.flagstage), floor: m((x) => x.short.floor), ratio: m((x) => x.short.flagstage / x.short.floor) },
    steady: {
      flagstage: median(ok.flatMap((x) => x.steady.flagstage)),
      floor: median(ok.flatMap((x) => x.steady.floor)),
      ratio: median(ok.flatMap((x) => x.steady.ratio)),
    },
    http: {
      flagstage: median(ok.flatMap((x) => x.http.flagstage)),
      floor: median(ok.flatMap((x) => x.http.floor)),
      ratio: median(ok.flatMap((x) => x.http.ratio)),
    },
    bytesPerCall: m((x) => x.bytesPerCall ?? NaN),
  }
}

export const freshProblems = (res) => (res.error ? [`w1 fresh process: ${res.error}`] : [])

export const freshTargets = (res) =>
  res.error ? [] : [
    [`W1 within 3x of Map.get, fresh process (first ${res.counts.cold.toLocaleString('en-US')} calls)`, `${res.cold.ratio.toFixed(2)}x (${res.cold.flagstage.toFixed(0)} ns)`, res.cold.ratio <= 3],
    [`W1 within 3x of Map.get, fresh process (first ${res.counts.short.toLocaleString('en-US')} calls)`, `${res.short.ratio.toFixed(2)}x (${res.short.flagstage.toFixed(0)} ns)`, res.short.ratio <= 3],
    ['W1 within 3x of Map.get, fresh process (steady state)', `${res.steady.ratio.toFixed(2)}x (${res.steady.flagstage.toFixed(0)} ns)`, res.steady.ratio <= 3],
    ['W1 within 3x of Map.get, fresh process, client fed by http() (steady state)', `${res.http.ratio.toFixed(2)}x (${res.http.flagstage.toFixed(0)} ns)`, res.http.ratio <= 3],
  ]

export const freshTable = (res) => {
  const lines = [
    `### W1 in a fresh process: \`check(key)(ctx)\` → \`client.forContext(ctx).isEnabled(key)\`, ${FILLERS} filler flags, 10,000 contexts of ${SHAPES.length} shapes`,
    '',
  ]
  if (res.error) return [...lines, `failed: ${res.error}`].join('\n')
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
  const n = (x) => x.toLocaleString('en-US')
  const { cold, short, iters, rounds } = res.counts
  lines.push(
    '| calls timed | flagstage ns/call | Map.get ns/call | × Map.get |',
    '| --- | ---: | ---: | ---: |',
    `| first ${n(cold)} (cold) | ${f(res.cold.flagstage)} | ${f(res.cold.floor)} | ${res.cold.ratio.toFixed(2)}x |`,
    `| first ${n(short)} (from the first call) | ${f(res.short.flagstage)} | ${f(res.short.floor)} | ${res.short.ratio.toFixed(2)}x |`,
    `| steady state (${rounds} × ${n(iters)}) | ${f(res.steady.flagstage)} | ${f(res.steady.floor)} | **${res.steady.ratio.toFixed(2)}x** |`,
    `| steady state, client fed by \`http()\` (${rounds} × ${n(iters)}) | ${f(res.http.flagstage)} | ${f(res.http.floor)} | ${res.http.ratio.toFixed(2)}x |`,
    '',
    `Allocated per flagstage call: ${Number.isNaN(res.bytesPerCall) ? '–' : `${res.bytesPerCall.toFixed(0)} B`} (garbage the young generation must collect). ` +
      `Medians over ${res.processes} fresh process${res.processes > 1 ? 'es' : ''} (steady: over all rounds; ratios per process or per round). CPU time of the whole process (GC and compiler threads included). ` +
      'Between the timed runs, other call sites use the same wrapper literal on the filler flags and call `variant()`, so the evaluator sees every flag kind and context shape.',
  )
  return lines.join('\n')
}

await scenarioMain(import.meta.url, { child, report: async ({ smoke }) => freshTable(await run({ smoke })), exit: true })
