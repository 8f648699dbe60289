// openfeature: per-evaluation cost through the OpenFeature server SDK (await client.getXxxValue, hooks and
// all) with three providers: flagstage's FlagstageProvider, OpenFeature's InMemoryProvider (hand-written
// contextEvaluator functions with flagstage's bucketing) and flagd-core behind a minimal provider, on the
// W1-W4 workloads (lib/workloads.mjs). Bare flagstage `forContext` and bare flagd-core are there for scale.
//   node run/openfeature.mjs [--smoke]
import { fileURLToPath } from 'node:url'
import { runPerEval } from '../lib/per-eval.mjs'

export const ADAPTERS = ['floor', 'flagstage', 'flagd', 'of-flagstage', 'openfeature', 'of-flagd']
export const WORKLOAD_IDS = ['w1', 'w2', 'w3', 'w4']

const fmtNs = (ns) => (ns >= 10000 ? `${(ns / 1000).toFixed(1)} µs` : ns.toFixed(0))

export const run = async (opts = {}) => {
  const results = {}
  for (const id of WORKLOAD_IDS) results[id] = await runPerEval(id, { ...opts, only: ADAPTERS })
  return results
}

/** One table: a row per call, a column per workload (ns/op, CPU median), and the ratio to FlagstageProvider. */
export const openFeatureTable = (results) => {
  const names = []
  for (const res of Object.values(results)) for (const r of res.rows) if (r.group !== 'floor' && !names.includes(r.name) && !r.name.includes('setContext')) names.push(r.name)
  const LABELS = { OpenFeature: 'OpenFeature + InMemoryProvider (hand-written evaluators)' }
  const key = (name) => {
    const k = name.replace(/ await get(Boolean|String)Value$/, '').replace(/[ .](isEnabled|value\(key, 'control'\)|resolve(Boolean|String)Evaluation)$/, '')
    return LABELS[k] ?? k
  }
  const rows = [...new Set(names.map(key))]
  const ofProvider = 'OpenFeature + FlagstageProvider'
  const lines = [
    '### OpenFeature: per evaluation through the server SDK (`await client.getBooleanValue` / `getStringValue`)',
    '',
    `| provider / call | ${Object.values(results).map((r) => r.workload.title.split(' ')[0]).join(' | ')} | × FlagstageProvider (W1 / W2 / W3 / W4) | check |`,
    `| --- | ${Object.keys(results).map(() => '---:').join(' | ')} | ---: | --- |`,
  ]
  for (const row of rows) {
    const cells = []
    const ratios = []
    const checks = new Set()
    for (const res of Object.values(results)) {
      const r = res.rows.find((x) => key(x.name) === row)
      const base = res.rows.find((x) => key(x.name) === ofProvider)
      cells.push(r ? fmtNs(r.nsPerOp) : '–')
      ratios.push(r && base ? `${(r.nsPerOp / base.nsPerOp).toFixed(2)}x` : '–')
      if (r) checks.add(r.check)
    }
    lines.push(`| ${row === ofProvider ? `**${row}**` : row} | ${cells.join(' | ')} | ${ratios.join(' / ')} | ${[...checks].join(', ')} |`)
  }
  lines.push('', 'ns/op: CPU time per evaluation (median of interleaved rounds, one process per run). The three OpenFeature rows pay the same SDK overhead (async call, hook pipeline, context merge); the bare rows show the engines alone.')
  return lines.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const smoke = process.argv.includes('--smoke')
  if (process.argv.includes('--child')) {
    // run.mjs reads this JSON line
    try {
      console.log(JSON.stringify(await run({ smoke })))
    } catch (err) {
      console.log(JSON.stringify({ error: String(err?.stack ?? err).split('\n').slice(0, 3).join(' | ') }))
    }
  } else {
    console.log(openFeatureTable(await run({ smoke })))
  }
  process.exit(0)
}
