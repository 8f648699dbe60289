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
// - Sink: the loop counts results equal to the workload's `hit` and the count is folded into a global,
//   so no evaluation can be removed as dead code.
// - Async APIs (OpenFeature server SDK, LaunchDarkly) are awaited one by one, as a request handler would.
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

const timeOnce = async (entry, iters, hit) => {
  const t0 = process.hrtime.bigint()
  const n = entry.async ? await entry.loop(entry.fn, entry.contexts, iters, hit) : entry.loop(entry.fn, entry.contexts, iters, hit)
  const t1 = process.hrtime.bigint()
  globalThis.__flagstageBenchSink ^= n
  return { ns: Number(t1 - t0), hits: n }
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
    // warmup: double the count until warmupMs has passed, then calibrate
    let iters = iterations ? Math.min(iterations, 1000) : 1000
    let spent = 0
    let estimate = 0
    const started = performance.now()
    do {
      const { ns } = await timeOnce(e, iters, hit)
      spent = performance.now() - started
      estimate = ns / iters
      if (!iterations) iters *= 2
    } while (!iterations ? spent < warmupMs : false)
    e.iters = iterations ?? Math.max(1000, Math.ceil((runMs * 1e6) / Math.max(estimate, 0.5)))
    e.runsNs = []
  }
  const rounds = []
  for (let r = 0; r < runs; r++) {
    const round = {}
    for (let k = 0; k < entries.length; k++) {
      const e = entries[(k + r) % entries.length]
      const { ns } = await timeOnce(e, e.iters, hit)
      const per = ns / e.iters
      e.runsNs.push(per)
      round[e.name] = per
    }
    rounds.push(round)
  }
  for (const e of entries) {
    e.nsPerOp = median(e.runsNs)
    e.min = Math.min(...e.runsNs)
    e.max = Math.max(...e.runsNs)
  }
  return { entries, rounds }
}

/** Median over rounds of entry/ref, measured in the same round. */
export const ratioOf = (rounds, name, refName) => median(rounds.map((r) => r[name] / r[refName]))

/** Run `fn` (sync or async) `times` times, in ms; returns every duration. */
export const timeMs = async (fn, times) => {
  const out = []
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint()
    await fn()
    out.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  return out
}
