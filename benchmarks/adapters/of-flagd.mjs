// OpenFeature server SDK + @openfeature/flagd-core behind a minimal in-process provider: what the flagd
// in-process provider does per evaluation (minus its sync stream), so the OpenFeature client overhead is
// the same as in the other OpenFeature rows. Semantics as in adapters/flagd.mjs (flagd's own `fractional`
// bucketing: the users in a rollout differ from flagstage's). Not in ADAPTER_IDS: see run/openfeature.mjs.
import { FlagdCore } from '@openfeature/flagd-core'
import { OpenFeature } from '@openfeature/server-sdk'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ targetingKey: u.userId, country: u.country, plan: u.plan })
const quiet = { error() {}, warn() {}, info() {}, debug() {} }

class FlagdCoreProvider {
  metadata = { name: 'flagd-core (in-process)' }
  runsOn = 'server'
  constructor(json) {
    this.core = new FlagdCore(undefined, quiet)
    this.core.setConfigurations(json)
  }
  async resolveBooleanEvaluation(key, fallback, context, logger) { return this.core.resolveBooleanEvaluation(key, fallback, context, logger) }
  async resolveStringEvaluation(key, fallback, context, logger) { return this.core.resolveStringEvaluation(key, fallback, context, logger) }
  async resolveNumberEvaluation(key, fallback, context, logger) { return this.core.resolveNumberEvaluation(key, fallback, context, logger) }
  async resolveObjectEvaluation(key, fallback, context, logger) { return this.core.resolveObjectEvaluation(key, fallback, context, logger) }
}

let domains = 0
const start = async (json) => {
  const domain = `flagd-provider-bench-${domains++}`
  await OpenFeature.setProviderAndWait(domain, new FlagdCoreProvider(json))
  return OpenFeature.getClient(domain)
}

export default {
  id: 'of-flagd',
  label: 'OpenFeature + flagd-core',
  pkg: '@openfeature/flagd-core',
  version: pkgVersion('@openfeature/flagd-core'),
  group: 'peer',
  async setup(workload, users) {
    const client = await start(JSON.stringify(workloadConfig('flagd')))
    const flag = workload.flag
    const fn = workload.type === 'boolean' ? (c) => client.getBooleanValue(flag, false, c) : (c) => client.getStringValue(flag, 'control', c)
    return {
      entries: [{ name: `OpenFeature + flagd-core await get${workload.type === 'boolean' ? 'Boolean' : 'String'}Value`, fn, contexts: users.map(toContext), async: true }],
      close() {},
    }
  },
  async load(json) {
    const client = await start(json)
    return { evaluate: (flag, u) => client.getBooleanValue(flag, false, toContext(u)), close() {} }
  },
}
