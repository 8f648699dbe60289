// Floors: the least work any SDK could do for each workload, on the same pre-built contexts.
//
// - `Map.get`: W1's floor, one lookup of the flag's value.
// - `murmur3`: W2/W3/W4's floor, murmurhash-js (`murmurhash3_32_gc`) of `flag:userId` (W4: `flag:variant:userId`)
//   % 10000, compared with the threshold. It includes the string concatenation, as a naive SDK would do.
//   murmurhash-js hashes `charCodeAt(i) & 0xff`, i.e. the low byte of each UTF-16 code unit; flagstage hashes
//   UTF-8 bytes (DESIGN section 4). The benchmark ids are ASCII, where the two byte strings are identical, so the
//   floor hashes exactly the bytes flagstage hashes and the two must agree on every user (checked). A non-ASCII id
//   would need an encoding step that this floor does not pay.
// - `hand-written rule`: W3 written by hand (Set lookup, equality, then the hash for the rest): the cost of the
//   rule itself with zero SDK overhead. Shown for reference; the target is against the bare murmur3.
import murmur from 'murmurhash-js'
import { FLAGS, SPLIT, TARGET_COUNTRIES } from '../lib/workloads.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const murmur3 = murmur.murmur3
const TARGETS = new Set(TARGET_COUNTRIES)
const cumulative = (() => {
  const total = SPLIT.reduce((s, [, w]) => s + w, 0)
  let acc = 0
  return SPLIT.map(([v, w]) => { acc += w; return [v, (10000 * acc) / total] })
})()
const [[V0, T0], [V1, T1], [V2]] = cumulative

export default {
  id: 'floor',
  label: 'floor',
  pkg: 'murmurhash-js',
  version: pkgVersion('murmurhash-js'),
  group: 'floor',
  async setup(workload, users) {
    const contexts = users.map((u) => ({ userId: u.userId, country: u.country, plan: u.plan }))
    const flag = workload.flag
    const entries = []
    if (workload.id === 'w1') {
      const map = new Map([[FLAGS.w1, true], [FLAGS.w2, false], [FLAGS.w3, false], [FLAGS.w4, 'control']])
      entries.push({ name: 'floor: Map.get', fn: (u) => map.get(flag), contexts, floor: 'map' })
    } else if (workload.id === 'w2') {
      entries.push({ name: 'floor: murmur3', fn: (u) => murmur3(flag + ':' + u.userId, 0) % 10000 < 5000, contexts, floor: 'murmur3', spec: true })
    } else if (workload.id === 'w3') {
      entries.push({ name: 'floor: murmur3', fn: (u) => murmur3(flag + ':' + u.userId, 0) % 10000 < 1000, contexts, floor: 'murmur3', hashOnly: true })
      entries.push({
        name: 'floor: hand-written rule',
        fn: (u) => (TARGETS.has(u.country) && u.plan === 'pro') || murmur3(flag + ':' + u.userId, 0) % 10000 < 1000,
        contexts,
        floor: 'rule',
        spec: true,
      })
    } else if (workload.id === 'w4') {
      entries.push({
        name: 'floor: murmur3',
        fn: (u) => {
          const v = murmur3(flag + ':variant:' + u.userId, 0) % 10000
          return v < T0 ? V0 : v < T1 ? V1 : V2
        },
        contexts,
        floor: 'murmur3',
        spec: true,
      })
    }
    return { entries, close() {} }
  },
}
