// W5 cold start: construct a client and load a config of 1,000 / 10,000 flags from a JSON string (each SDK's
// own format, configs/generate.mjs), then evaluate one flag. Timed: parse + validate + compile (whatever the SDK
// does) + the first evaluation, until the value is in hand (awaiting the SDK's ready signal where it has one).
//
// Each SDK and size runs in its own child process (`--expose-gc`), so "first" is a genuinely first load in a
// process that has imported the SDK but never run it (cold JIT, as at a server's boot), and no SDK's garbage or
// global state (OpenFeature's singleton, LaunchDarkly's timers) touches another's. After the first load, the same
// child repeats the load `repeats` times (previous client closed and collected outside the timing) and reports
// the median: the warm figure. The JSON string is generated before any timing. Five rounds of children, SDKs
// interleaved, so every first load is a sample from its own fresh process; "first" is their median, and the
// flagstage / GrowthBook ratio is taken per round (same minute of a shared machine) before its median.
// A `json-parse` row times a bare `JSON.parse` of flagstage's string: the floor of any load.
//   node run/w5-cold-start.mjs [--smoke] [--only=flagstage,growthbook]
import { fileURLToPath } from 'node:url'
import { SDK_IDS, loadAdapter } from '../adapters/index.mjs'
import { coldConfigJson, COLD_FLAG } from '../configs/generate.mjs'
import { median, timeOnceMs } from '../harness.mjs'
import { runChild, scenarioMain } from '../lib/child.mjs'
import { COLD_CONTEXT } from '../lib/workloads.mjs'

const SELF = fileURLToPath(import.meta.url)
const BUDGET_MS = 4000
const FORMAT = { flagstage: 'flagstage', growthbook: 'growthbook', unleash: 'unleash', flagd: 'flagd', openfeature: 'openfeature', launchdarkly: 'launchdarkly' }

const PARSE_ONLY = { version: '', load: async (json) => ({ evaluate: () => JSON.parse(json) !== undefined }) }
// The floor of any loader that looks at the whole config before it goes live: JSON.parse, then one visit of
// every value, checking nothing. What a validating SDK adds to a bare parse cannot be less than this visit.
let visited = 0
const visit = (v) => {
  if (typeof v != 'object' || v === null) visited++
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(v[i])
  else for (const k in v) visit(v[k])
}
const FLOORS = {
  'json-parse': async (json) => JSON.parse(json) !== undefined,
  'parse+visit': async (json) => (visit(JSON.parse(json)), visited > 0),
}

const child = async ([id, n, repeats]) => {
  const floor = FLOORS[id]
  const adapter = floor ? PARSE_ONLY : await loadAdapter(id)
  const json = coldConfigJson(FORMAT[id] ?? 'flagstage', Number(n))
  const prepared = adapter.prepare ? await adapter.prepare(json) : undefined
  let handle
  let value
  const once = floor
    ? async () => { value = await floor(json) }
    : async () => {
        handle = await adapter.load(json, prepared)
        value = await handle.evaluate(COLD_FLAG, COLD_CONTEXT)
      }
  const between = async () => { await handle?.close?.(); handle = undefined; globalThis.gc?.(); globalThis.gc?.() }
  const firstT = await timeOnceMs(once)
  const first = firstT.cpu
  const firstWall = firstT.wall
  const warm = []
  const warmWall = []
  const budgetEnd = performance.now() + BUDGET_MS
  for (let i = 0; i < Number(repeats); i++) {
    if (i >= 3 && performance.now() > budgetEnd) break // slow SDKs: at least 3 warm loads, then stop at the budget
    await between()
    const t = await timeOnceMs(once)
    warm.push(t.cpu)
    warmWall.push(t.wall)
  }
  await between()
  prepared?.cleanup?.()
  return { id, version: adapter.version, n: Number(n), bytes: json.length, first, firstWall, warm, warmWall, value }
}

export const run = async ({ smoke = false, only } = {}) => {
  const ids = [...Object.keys(FLOORS), ...(only ?? SDK_IDS)]
  const sizes = smoke ? [1000] : [1000, 10000]
  // Rounds of one child per SDK, SDKs interleaved, so load drift on a shared machine spreads over all of them.
  const rounds = smoke ? 1 : 5
  const raw = []
  for (let round = 0; round < rounds; round++) {
    for (const n of sizes) {
      for (const id of ids) {
        const repeats = smoke ? 0 : 8 // enough that the median is a warm JIT's, not the loads during which the optimizing compiler still runs
        raw.push({ id, n, round, ...(await runChild(SELF, [id, String(n), String(repeats)], { nodeFlags: ['--expose-gc'] })) })
      }
    }
  }
  const results = []
  for (const n of sizes) {
    for (const id of ids) {
      const mine = raw.filter((r) => r.id === id && r.n === n)
      const ok = mine.filter((r) => !r.error)
      if (!ok.length) { results.push({ id, n, error: mine[0]?.error ?? 'no result' }); continue }
      results.push({
        id, n, version: ok[0].version, bytes: ok[0].bytes, value: ok[0].value,
        firsts: ok.map((r) => r.first),
        rounds: ok.map((r) => r.round),
        first: median(ok.map((r) => r.first)),
        warm: ok.flatMap((r) => r.warm),
        median: median(ok.flatMap((r) => (r.warm.length ? r.warm : [r.first]))),
        firstWall: median(ok.map((r) => r.firstWall)),
        medianWall: median(ok.flatMap((r) => (r.warmWall.length ? r.warmWall : [r.firstWall]))),
      })
    }
  }
  return { results, sizes, rounds }
}

const fmt = (ms) => (ms === undefined ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2))

/** flagstage / `other` per round (first loads from the same round), and their median. */
export const perRound = ({ results }, n, other = 'growthbook') => {
  const fs = results.find((r) => r.id === 'flagstage' && r.n === n && !r.error)
  const ot = results.find((r) => r.id === other && r.n === n && !r.error)
  if (!fs || !ot) return undefined
  const ratios = []
  fs.rounds.forEach((round, i) => {
    const j = ot.rounds.indexOf(round)
    if (j >= 0) ratios.push(fs.firsts[i] / ot.firsts[j])
  })
  return { ratios, median: median(ratios), warm: fs.median / ot.median }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`

export const coldStartTable = (res) => {
  const { results, sizes, rounds } = res
  const ids = [...new Set(results.map((r) => r.id))]
  const lines = [
    '### W5 cold start: construct + load N flags from a JSON string + first evaluation (ms of CPU time)',
    '',
    `| SDK | ${sizes.map((n) => `${n.toLocaleString('en-US')} flags: payload | first | warm median | × JSON.parse (warm)`).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---: | ---: | ---: | ---:').join(' | ')} |`,
  ]
  for (const id of ids) {
    const cells = sizes.map((n) => {
      const r = results.find((x) => x.id === id && x.n === n)
      if (!r || r.error) return `${r?.error ?? 'missing'} | | | `
      const parse = results.find((x) => x.id === 'json-parse' && x.n === n && !x.error)
      return `${kib(r.bytes)} | ${fmt(r.first)} | ${fmt(r.median)} | ${parse ? `${(r.median / parse.median).toFixed(2)}x` : ''}`
    })
    const name = id === 'flagstage' ? '**flagstage**' : id === 'json-parse' ? 'JSON.parse only (flagstage\'s string, the floor)'
      : id === 'parse+visit' ? 'JSON.parse + visit every value, no checks (the floor of a validating load)' : id
    lines.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  lines.push('')
  for (const n of sizes) {
    const pr = perRound(res, n)
    if (pr) lines.push(`- flagstage / GrowthBook, first load, ${n.toLocaleString('en-US')} flags, per round: ${pr.ratios.map((x) => `${x.toFixed(2)}x`).join(', ')} (median ${pr.median.toFixed(2)}x; warm medians ${pr.warm.toFixed(2)}x)`)
  }
  lines.push('', `"first": median over ${rounds} fresh process(es) of the first load (cold JIT, as at a server's boot); "warm median": median of the later loads (up to 8) in each of those processes. CPU time of the process (all threads); wall time of the ${sizes.at(-1).toLocaleString('en-US')}-flag warm load: ${results.filter((r) => r.n === sizes.at(-1) && !r.error).map((r) => `${r.id} ${fmt(r.medianWall)}`).join(', ')} ms. Payload: the JSON string each SDK loads (its own format, same flags).`)
  return lines.join('\n')
}

await scenarioMain(import.meta.url, { child, report: async ({ smoke, only }) => coldStartTable(await run({ smoke, only })), exit: true })
