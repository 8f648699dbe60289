// OpenFeature server SDK with its InMemoryProvider, through the OpenFeature client API (async: every
// evaluation returns a Promise and runs the hook pipeline), as an OpenFeature user writes it.
// Semantics: the in-memory provider has no targeting language and no hashing. A flag is variants +
// defaultVariant + an optional `contextEvaluator` function, so W2-W4 run evaluators we wrote by hand with
// flagstage's exact bucketing (murmurhash-js of `key:userId` % 10000, `key:variant:userId` for splits): the
// results must equal flagstage's user by user. This row is "OpenFeature client overhead + a hand-written rule".
// Each setup uses its own domain, so providers never replace each other in the global singleton.
import murmur from 'murmurhash-js'
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk'
import { workloadConfig } from '../configs/generate.mjs'
import { SPLIT, TARGET_COUNTRIES } from '../lib/workloads.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const murmur3 = murmur.murmur3
const TARGETS = new Set(TARGET_COUNTRIES)
const toContext = (u) => ({ targetingKey: u.userId, country: u.country, plan: u.plan })

/** Turn the benchmark's neutral spec into a contextEvaluator (the code an OpenFeature user would write). */
const withEvaluators = (flags) => {
  const out = {}
  for (const [key, f] of Object.entries(flags)) {
    const { spec, ...rest } = f
    if (spec) {
      const prefix = key + ':'
      if (spec.kind === 'rollout') {
        const t = Math.round(spec.p * 100)
        rest.contextEvaluator = (ctx) => (murmur3(prefix + ctx.targetingKey, 0) % 10000 < t ? 'on' : 'off')
      } else if (spec.kind === 'targeting') {
        const t = Math.round(spec.p * 100)
        rest.contextEvaluator = (ctx) =>
          (TARGETS.has(ctx.country) && ctx.plan === 'pro') || murmur3(prefix + ctx.targetingKey, 0) % 10000 < t ? 'on' : 'off'
      } else if (spec.kind === 'split') {
        const vprefix = key + ':variant:'
        rest.contextEvaluator = (ctx) => {
          const v = murmur3(vprefix + ctx.targetingKey, 0) % 10000
          return v < 5000 ? SPLIT[0][0] : v < 8000 ? SPLIT[1][0] : SPLIT[2][0]
        }
      }
    }
    out[key] = rest
  }
  return out
}

let domains = 0
const start = async (flags) => {
  const domain = `flagstage-bench-${domains++}`
  await OpenFeature.setProviderAndWait(domain, new InMemoryProvider(withEvaluators(flags)))
  return OpenFeature.getClient(domain)
}

export default {
  id: 'openfeature',
  label: 'OpenFeature in-memory',
  pkg: '@openfeature/server-sdk',
  version: pkgVersion('@openfeature/server-sdk'),
  group: 'peer',
  async setup(workload, users) {
    const client = await start(workloadConfig('openfeature').flags)
    const flag = workload.flag
    const fn = workload.type === 'boolean' ? (c) => client.getBooleanValue(flag, false, c) : (c) => client.getStringValue(flag, 'control', c)
    return {
      entries: [{ name: `OpenFeature await get${workload.type === 'boolean' ? 'Boolean' : 'String'}Value`, fn, contexts: users.map(toContext), async: true }],
      close() {},
    }
  },
  async load(json) {
    const client = await start(JSON.parse(json).flags)
    return { evaluate: (flag, u) => client.getBooleanValue(flag, false, toContext(u)), close() {} }
  },
}
