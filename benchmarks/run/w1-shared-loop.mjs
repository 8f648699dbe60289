// W1 in the harness shape of the independent run (issue 12): one timing loop shared by every entry (its call
// site sees every entry's wrapper: megamorphic, nothing inlined into it), a per-call wrapper around each SDK
// call, a config with 100 filler flags beside the plain flag, and 10,000 distinct context objects cycled. Two
// lengths: `short` times the first 10,000 calls of each entry in a fresh process (code still interpreted or
// baseline-compiled, as in a short benchmark or the first requests after a boot), `long` the steady state.
// Ratios are per round against `Map.get` through the same loop.
//   node run/w1-shared-loop.mjs [--smoke]
import { fileURLToPath } from 'node:url'
import { median } from '../harness.mjs'
import { childMain, runChild } from '../lib/child.mjs'
import { FLAGS, makeUsers } from '../lib/workloads.mjs'

const SELF = fileURLToPath(import.meta.url)
const FILLERS = 100

const flagstageConfig = () => {
  const flags = {}
  for (let i = 0; i < FILLERS; i++) flags[`filler-${i}`] = { enabled: true, rules: [{ serve: { rollout: 50 } }] }
  flags[FLAGS.w1] = { enabled: true, rules: [{ serve: 'on' }] }
  return { schemaVersion: 1, revision: 'w1-shared', flags }
}
const growthbookPayload = () => {
  const features = {}
  for (let i = 0; i < FILLERS; i++) features[`filler-${i}`] = { defaultValue: false, rules: [{ force: true, coverage: 0.5, hashAttribute: 'id' }] }
  features[FLAGS.w1] = { defaultValue: true }
  return { features }
}

// The one loop every entry goes through (a plain function, not compiled per entry).
function loop(fn, ctxs, iters) {
  let hits = 0
  for (let i = 0, j = 0; i < iters; i++) {
    if (fn(ctxs[j]) === true) hits++
    if (++j === ctxs.length) j = 0
  }
  return hits
}
const cpuNs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) * 1000
}

const child = async ([mode]) => {
  const { createClient } = await import('flagstage')
  const { GrowthBookClient } = await import('@growthbook/growthbook')
  const client = createClient({ bootstrap: flagstageConfig() })
  const gb = new GrowthBookClient({})
  gb.initSync({ payload: growthbookPayload() })
  const map = new Map(Object.keys(flagstageConfig().flags).map((k) => [k, k === FLAGS.w1]))
  const users = makeUsers()
  const ctxs = users.map((u) => ({ userId: u.userId, country: u.country, plan: u.plan }))
  const gbCtxs = users.map((u) => ({ attributes: { id: u.userId, country: u.country, plan: u.plan } }))
  const key = FLAGS.w1
  const entries = [
    ['Map.get', (c) => map.get(key), ctxs],
    ['flagstage forContext(ctx).isEnabled', (c) => client.forContext(c).isEnabled(key), ctxs],
    ['flagstage client.isEnabled', (c) => client.isEnabled(key), ctxs],
    ['GrowthBook isOn(key, user)', (c) => gb.isOn(key, c), gbCtxs],
  ]
  const short = mode === 'short'
  const iters = short ? ctxs.length : 1_000_000
  const rounds = short ? 1 : 7
  const out = Object.fromEntries(entries.map(([name]) => [name, []]))
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < entries.length; k++) {
      const [name, fn, cs] = entries[(k + r) % entries.length]
      const c0 = cpuNs()
      const hits = loop(fn, cs, iters)
      const ns = (cpuNs() - c0) / iters
      if (hits !== iters) throw new Error(`${name}: ${hits} of ${iters} on`)
      out[name].push(ns)
    }
  }
  client.close()
  gb.destroy()
  return out
}

export const run = async ({ smoke = false } = {}) => {
  const processes = smoke ? 1 : 5
  const shortRuns = []
  for (let p = 0; p < processes; p++) shortRuns.push(await runChild(SELF, ['short'], { nodeFlags: ['--expose-gc'] }))
  const longRun = smoke ? undefined : await runChild(SELF, ['long'], { nodeFlags: ['--expose-gc'] })
  const summarize = (runs) => {
    const ok = runs.filter((x) => x && !x.error)
    if (!ok.length) return { error: runs[0]?.error ?? 'no result' }
    const names = Object.keys(ok[0])
    const ns = Object.fromEntries(names.map((n) => [n, median(ok.flatMap((x) => x[n]))]))
    // per round (short: per process) ratio to Map.get
    const ratio = Object.fromEntries(names.map((n) => [n, median(ok.flatMap((x) => x[n].map((v, i) => v / x['Map.get'][i])))]))
    return { ns, ratio }
  }
  return { short: summarize(shortRuns), long: longRun ? summarize([longRun]) : undefined, processes }
}

export const sharedLoopTable = (res) => {
  const lines = [
    `### W1, shared-loop harness: one loop for every entry, a wrapper per call, ${FILLERS} filler flags, 10,000 contexts cycled`,
    '',
    '| entry | first 10,000 calls in a fresh process: ns/call | × Map.get | steady state: ns/call | × Map.get |',
    '| --- | ---: | ---: | ---: | ---: |',
  ]
  if (res.short.error) return [...lines, `failed: ${res.short.error}`].join('\n')
  for (const name of Object.keys(res.short.ns)) {
    const l = res.long && !res.long.error ? `${res.long.ns[name].toFixed(1)} | ${res.long.ratio[name].toFixed(2)}x` : '– | –'
    lines.push(`| ${name.startsWith('flagstage forContext') ? `**${name}**` : name} | ${res.short.ns[name].toFixed(1)} | ${res.short.ratio[name].toFixed(2)}x | ${l} |`)
  }
  lines.push('', `"first 10,000 calls": median over ${res.processes} fresh processes; "steady state": 7 rounds of 1,000,000 calls in one process, entries interleaved. CPU time; ratios are medians of per-round ratios.`)
  return lines.join('\n')
}

if (process.argv[1] === SELF) {
  const argv = process.argv.slice(2)
  if (argv[0] === '--child') await childMain(child, argv.slice(1), { exit: true })
  else {
    console.log(sharedLoopTable(await run({ smoke: argv.includes('--smoke') })))
    process.exit(0)
  }
}
