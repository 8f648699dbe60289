import murmur from 'murmurhash-js'
import { measure, ratioOf } from './harness.mjs'
import { workloadConfig } from './configs/generate.mjs'
import { makeUsers, WORKLOADS } from './lib/workloads.mjs'
const builds = {}
for (const v of ['orig', 'p1', 'p12']) builds[v] = await import(`/tmp/fsx/${v}/index.js`)
const users = makeUsers().map((u) => ({ userId: u.userId, country: u.country, plan: u.plan }))
const TARGETS = new Set(['US', 'CA', 'GB'])
const wid = process.argv[2] ?? 'w2'
const w = WORKLOADS[wid]
const flag = w.flag
const floors = {
  w1: (() => { const m = new Map([[flag, true]]); return () => m.get(flag) })(),
  w2: (u) => murmur.murmur3(flag + ':' + u.userId, 0) % 10000 < 5000,
  w3: (u) => murmur.murmur3(flag + ':' + u.userId, 0) % 10000 < 1000,
  w4: (u) => { const v = murmur.murmur3(flag + ':variant:' + u.userId, 0) % 10000; return v < 5000 ? 'control' : v < 8000 ? 'blue' : 'green' },
}
const entries = [{ name: 'floor', fn: floors[wid], contexts: users }]
for (const [v, m] of Object.entries(builds)) {
  const c = m.createClient({ bootstrap: workloadConfig('flagstage') })
  const call = w.type === 'boolean' ? (e) => e.isEnabled(flag) : (e) => e.value(flag, 'control')
  entries.push({ name: `${v} forContext`, fn: (u) => call(c.forContext(u)), contexts: users })
  if (v !== 'p12') entries.push({ name: `${v} prebuilt`, fn: call, contexts: users.map((u) => c.forContext(u)) })
}
const { rounds } = await measure(entries, { hit: w.hit, runs: Number(process.argv[3] ?? 9), runMs: 100, warmupMs: 200 })
for (const e of entries) console.log(`${wid} ${e.name.padEnd(16)} ${e.nsPerOp.toFixed(1).padStart(7)} ns  x floor ${ratioOf(rounds, e.name, 'floor').toFixed(2)}`)
