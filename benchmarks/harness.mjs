// Timing harness for the per-evaluation workloads.
//
// - In-process, interleaved: every entry (SDK or floor) of a workload runs once per round, the order
//   rotating each round, so drift on these shared, noisy machines hits all entries alike. Ratios are taken
//   per round (entry / reference in the same round) and their median is reported: ratios hold when
//   absolute numbers drift.
// - Each entry gets its own loop function compiled with `new Function`, so its call site stays
//   monomorphic: one SDK's shapes never deoptimise another's loop (closures from one literal would
//   share a feedback vector).
// - Warmup, then calibration: iterations per run are chosen so one run lasts about `runMs`.
// - Time is the process's CPU time (process.cpuUsage, all threads), wall time is kept beside it: see cpuNs().
// - Sink: the loop counts results equal to the workload's `hit` and the count is folded into a global,
//   so no evaluation can be removed as dead code.
// - Async APIs (OpenFeature server SDK, LaunchDarkly) are awaited one by one, as a request handler would.
// - With --expose-gc (run.mjs passes it), a full GC runs before every timed run, outside the timing.
import { performance } from 'node:perf_hooks'

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor

const LOOP_BODY = (awaitKw) => `
  let n = 0, j = 0;
  const len = ctxs.length;
  for (let i = 0; i < iters; i++) {
    if ((${awaitKw} fn(ctxs[j])) === hit) n++;
    if (++j === len) j = 0;
  }
  return n;`

/** A fresh, unshared loop for one entry. */
export const makeLoop = (isAsync) =>
  isAsync ? new AsyncFunction('fn', 'ctxs', 'iters', 'hit', LOOP_BODY('await'))
    : new Function('fn', 'ctxs', 'iters', 'hit', LOOP_BODY(''))

globalThis.__flagstageBenchSink = 0

/**
 * CPU time of this process (user + system, all threads: GC helpers count) in ns. On shared machines it is far
 * steadier than wall time, which also counts the time other processes held the core (a Map.get loop: 13-20 ns
 * wall, 5.7-5.9 ns CPU, same minute). Kernel accounting of the total is precise; we time runs of ~100 ms.
 */
export const cpuNs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) * 1000
}

const timeOnce = async (entry, iters, hit) => {
  const c0 = cpuNs()
  const t0 = process.hrtime.bigint()
  const n = entry.async ? await entry.loop(entry.fn, entry.contexts, iters, hit) : entry.loop(entry.fn, entry.contexts, iters, hit)
  const t1 = process.hrtime.bigint()
  const c1 = cpuNs()
  globalThis.__flagstageBenchSink ^= n
  return { ns: c1 - c0, wallNs: Number(t1 - t0), hits: n }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Full pass over every context (not timed): distribution of results, for the semantic check.
 * Returns { counts: {value: share}, results: [] }.
 */
export const verify = async (entry) => {
  const results = new Array(entry.contexts.length)
  for (let i = 0; i < entry.contexts.length; i++) {
    results[i] = entry.async ? await entry.fn(entry.contexts[i]) : entry.fn(entry.contexts[i])
  }
  const counts = {}
  for (const r of results) counts[String(r)] = (counts[String(r)] ?? 0) + 1
  for (const k of Object.keys(counts)) counts[k] /= results.length
  return { counts, results }
}

/**
 * Measure `entries` ({ name, group: 'flagstage'|'peer'|'floor', fn, contexts, async }) on one workload.
 * Options: { hit, runs, runMs, warmupMs, iterations (fixed, for --smoke) }.
 * Returns entries with { nsPerOp (median), runsNs: [], min, max } and a per-round table for ratios.
 */
export const measure = async (entries, { hit, runs = 7, runMs = 120, warmupMs = 250, iterations } = {}) => {
  for (const e of entries) {
    e.loop = makeLoop(e.async)
    // warmup: double the count until warmupMs has passed; calibrate on the fastest chunk (the last chunk
    // alone can land on a GC or a page-fault storm and make every timed run far too short)
    let iters = iterations ? Math.min(iterations, 1000) : 1000
    let best = Infinity
    const started = performance.now()
    do {
      const { ns } = await timeOnce(e, iters, hit)
      if (ns > 0) best = Math.min(best, ns / iters) // CPU time: what the timed runs measure
      if (!iterations) iters *= 2
      // at least ~64k evaluations: the first chunks run in the interpreter while the young generation grows
    } while (!iterations && (performance.now() - started < warmupMs || iters <= 32_768))
    e.iters = iterations ?? Math.max(10_000, Math.ceil((runMs * 1e6) / Math.max(best, 0.5)))
    e.runsNs = []
    e.runsWallNs = []
  }
  const rounds = []
  for (let r = 0; r < runs; r++) {
    const round = {}
    for (let k = 0; k < entries.length; k++) {
      const e = entries[(k + r) % entries.length]
      // start every run from a collected heap (with --expose-gc), so one SDK's garbage is not collected on
      // another's clock
      globalThis.gc?.()
      const { ns, wallNs } = await timeOnce(e, e.iters, hit)
      const per = ns / e.iters
      e.runsNs.push(per)
      e.runsWallNs.push(wallNs / e.iters)
      round[e.name] = per
    }
    rounds.push(round)
  }
  for (const e of entries) {
    e.nsPerOp = median(e.runsNs)
    e.wallNsPerOp = median(e.runsWallNs)
    e.min = Math.min(...e.runsNs)
    e.max = Math.max(...e.runsNs)
  }
  return { entries, rounds }
}

/** Median over rounds of entry/ref, measured in the same round. */
export const ratioOf = (rounds, name, refName) => median(rounds.map((r) => r[name] / r[refName]))

/** Run `fn` (sync or async) once: { cpu, wall } in ms (CPU time of the process, as in `measure`). */
export const timeOnceMs = async (fn) => {
  const c0 = cpuNs()
  const t0 = process.hrtime.bigint()
  await fn()
  const wall = Number(process.hrtime.bigint() - t0) / 1e6
  return { cpu: (cpuNs() - c0) / 1e6, wall }
}
