// Shared driver of the per-evaluation workloads (W1-W4): set every adapter up, check semantics on a full
// pass over the 10,000 contexts, then time all entries interleaved (harness.mjs) and compute ratios.
import { loadAdapters, ADAPTER_IDS } from '../adapters/index.mjs'
import { measure, ratioOf, verify } from '../harness.mjs'
import { makeUsers, WORKLOADS } from './workloads.mjs'

const checkShares = (workload, shares) => {
  const bad = []
  for (const [value, want] of Object.entries(workload.expect)) {
    const got = shares[value] ?? 0
    if (Math.abs(got - want) > workload.tolerance + 1e-9) bad.push(`${value}: ${(got * 100).toFixed(1)}% (want ${(want * 100).toFixed(1)}%)`)
  }
  return bad.length ? `FAIL ${bad.join(', ')}` : 'ok'
}

const formatShares = (workload, shares) =>
  workload.type === 'boolean'
    ? `${((shares.true ?? 0) * 100).toFixed(1)}% on`
    : Object.keys(workload.expect).map((v) => `${v} ${((shares[v] ?? 0) * 100).toFixed(1)}%`).join(' / ')

/**
 * opts: { smoke, runs, runMs, warmupMs, iterations, only: [adapter ids] }
 * Returns { workload, rows, skipped, floorName, fastestPeerName, agreement }.
 */
export const runPerEval = async (workloadId, opts = {}) => {
  const workload = WORKLOADS[workloadId]
  const users = makeUsers()
  const { adapters, skipped } = await loadAdapters(opts.only ?? ADAPTER_IDS)
  const entries = []
  const closers = []
  for (const a of adapters) {
    const s = await a.setup(workload, users)
    closers.push(s.close)
    for (const e of s.entries) entries.push({ ...e, sdk: a.id, group: a.group, version: a.version, async: !!e.async })
  }

  // Semantics first (untimed): share of hits / variant distribution over all 10,000 contexts.
  const resultsByName = {}
  for (const e of entries) {
    const { counts, results } = await verify(e)
    e.shares = counts
    e.sharesText = formatShares(workload, counts)
    e.check = e.hashOnly ? 'n/a (hash only)' : checkShares(workload, counts)
    resultsByName[e.name] = results
  }
  // flagstage follows DESIGN section 4 exactly, and so do the spec floors: they must agree user by user.
  const specFloor = entries.find((e) => e.spec)
  const agreement = {}
  if (specFloor) {
    const ref = resultsByName[specFloor.name]
    for (const e of entries) {
      if (e === specFloor || e.group === 'floor') continue
      const r = resultsByName[e.name]
      let same = 0
      for (let i = 0; i < r.length; i++) if (r[i] === ref[i]) same++
      agreement[e.name] = same / r.length
    }
  }

  const opt = opts.smoke
    ? { runs: 1, iterations: opts.iterations ?? 2000 }
    : { runs: opts.runs ?? 11, runMs: opts.runMs ?? 100, warmupMs: opts.warmupMs ?? 250 }
  const { rounds } = await measure(entries, { hit: workload.hit, ...opt })
  for (const close of closers) await close?.()

  const floor = entries.find((e) => e.group === 'floor' && e.floor === workload.floor)
  const peers = entries.filter((e) => e.group === 'peer')
  const fastestPeer = peers.length ? peers.reduce((a, b) => (b.nsPerOp < a.nsPerOp ? b : a)) : undefined
  const rows = entries.map((e) => ({
    name: e.name,
    sdk: e.sdk,
    group: e.group,
    primary: !!e.primary,
    version: e.version,
    nsPerOp: e.nsPerOp,
    wallNsPerOp: e.wallNsPerOp,
    min: e.min,
    max: e.max,
    iters: e.iters,
    xFloor: floor ? ratioOf(rounds, e.name, floor.name) : undefined,
    xFastestPeer: fastestPeer ? ratioOf(rounds, e.name, fastestPeer.name) : undefined,
    shares: e.shares,
    sharesText: e.sharesText,
    check: e.check,
    agreement: agreement[e.name],
  }))
  const order = { floor: 0, flagstage: 1, peer: 2 }
  rows.sort((a, b) => order[a.group] - order[b.group] || a.nsPerOp - b.nsPerOp)
  return { workload, rows, skipped, floorName: floor?.name, fastestPeerName: fastestPeer?.name, specFloorName: specFloor?.name }
}

const fmtNs = (ns) => (ns >= 10000 ? `${(ns / 1000).toFixed(1)} µs` : ns >= 100 ? ns.toFixed(0) : ns.toFixed(1))
const fmtX = (x) => (x === undefined ? '' : x >= 10 ? `${x.toFixed(0)}x` : `${x.toFixed(2)}x`)

/** Markdown table for one per-eval workload. */
export const perEvalTable = (res) => {
  const lines = [
    `### ${res.workload.title}`,
    '',
    `| SDK / call | ns/op (CPU, median) | min–max | wall ns/op | × floor (${res.floorName?.replace('floor: ', '') ?? '–'}) | × fastest peer | result over 10,000 contexts | check | same as spec |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |',
  ]
  for (const r of res.rows) {
    const name = r.group === 'flagstage' && r.primary ? `**${r.name}**` : r.name
    lines.push(`| ${name} | ${fmtNs(r.nsPerOp)} | ${fmtNs(r.min)}–${fmtNs(r.max)} | ${fmtNs(r.wallNsPerOp)} | ${fmtX(r.xFloor)} | ${fmtX(r.xFastestPeer)} | ${r.sharesText} | ${r.check} | ${r.agreement === undefined ? '' : `${(r.agreement * 100).toFixed(1)}%`} |`)
  }
  if (res.skipped.length) lines.push('', ...res.skipped.map((s) => `- skipped ${s.id}: ${s.reason}`))
  lines.push('', `Fastest peer: ${res.fastestPeerName ?? '–'}. ns/op is CPU time per evaluation; ratios are medians of per-round ratios of CPU time (same round, same process).` +
    (res.specFloorName ? ` "same as spec": share of users for whom the row returns exactly what \`${res.specFloorName}\` returns (DESIGN section 4 bucketing); only flagstage and the hand-written OpenFeature evaluators are meant to match.` : ''))
  return lines.join('\n')
}

/** CLI helper for run/w*.mjs. */
export const cli = async (workloadId, argv = process.argv.slice(2)) => {
  const smoke = argv.includes('--smoke')
  const onlyArg = argv.find((a) => a.startsWith('--only='))
  const only = onlyArg ? ['floor', ...onlyArg.slice(7).split(',')] : undefined
  if (argv[0] === '--child') {
    // run.mjs runs each workload in its own process and reads this JSON line
    try {
      console.log(JSON.stringify(await runPerEval(workloadId, { smoke, only })))
    } catch (err) {
      console.log(JSON.stringify({ error: String(err?.stack ?? err).split('\n').slice(0, 3).join(' | ') }))
    }
    return
  }
  const res = await runPerEval(workloadId, { smoke, only })
  console.log(perEvalTable(res))
  return res
}
