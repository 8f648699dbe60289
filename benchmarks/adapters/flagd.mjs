// @openfeature/flagd-core: flagd's in-process evaluator (JsonLogic targeting, `fractional` buckets), used
// directly, without the OpenFeature client around it (the flagd in-process provider adds that layer), so it
// is a lower bound for flagd users. `setConfigurations` takes the JSON string and validates it.
// Semantics: `fractional` hashes murmur3 (imurmurhash) of flagKey + targetingKey (no separator), maps the
// 32-bit hash onto the total weight with BigInt arithmetic; the users in a rollout differ from flagstage's.
import { FlagdCore } from '@openfeature/flagd-core'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ targetingKey: u.userId, country: u.country, plan: u.plan })
const quiet = { error() {}, warn() {}, info() {}, debug() {} }

export default {
  id: 'flagd',
  label: 'flagd-core',
  pkg: '@openfeature/flagd-core',
  version: pkgVersion('@openfeature/flagd-core'),
  group: 'peer',
  async setup(workload, users) {
    const core = new FlagdCore(undefined, quiet)
    core.setConfigurations(JSON.stringify(workloadConfig('flagd')))
    const flag = workload.flag
    const fn = workload.type === 'boolean'
      ? (c) => core.resolveBooleanEvaluation(flag, false, c, quiet).value
      : (c) => core.resolveStringEvaluation(flag, 'control', c, quiet).value
    return {
      entries: [{ name: `flagd-core resolve${workload.type === 'boolean' ? 'Boolean' : 'String'}Evaluation`, fn, contexts: users.map(toContext) }],
      close() {},
    }
  },
  async load(json) {
    const core = new FlagdCore(undefined, quiet)
    core.setConfigurations(json)
    return { evaluate: (flag, u) => core.resolveBooleanEvaluation(flag, false, toContext(u), quiet).value, close() {} }
  },
}
