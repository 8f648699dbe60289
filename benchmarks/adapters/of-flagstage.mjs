// OpenFeature server SDK + flagstage's FlagstageProvider (`flagstage/openfeature`), through the OpenFeature
// client API (async, hook pipeline), as an OpenFeature user writes it. Same config and bucketing as the
// `flagstage` adapter: results must equal flagstage's user by user. Not in ADAPTER_IDS: it runs in the
// OpenFeature scenario (run/openfeature.mjs), next to the in-memory provider and flagd-core behind OpenFeature.
import { OpenFeature } from '@openfeature/server-sdk'
import { FlagstageProvider } from 'flagstage/openfeature'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ targetingKey: u.userId, country: u.country, plan: u.plan })

let domains = 0
const start = async (config) => {
  const domain = `flagstage-provider-bench-${domains++}`
  const provider = new FlagstageProvider({ bootstrap: config })
  await OpenFeature.setProviderAndWait(domain, provider)
  return { client: OpenFeature.getClient(domain), provider }
}

export default {
  id: 'of-flagstage',
  label: 'OpenFeature + FlagstageProvider',
  pkg: 'flagstage',
  version: pkgVersion('flagstage'),
  group: 'flagstage',
  async setup(workload, users) {
    const { client, provider } = await start(workloadConfig('flagstage'))
    const flag = workload.flag
    const fn = workload.type === 'boolean' ? (c) => client.getBooleanValue(flag, false, c) : (c) => client.getStringValue(flag, 'control', c)
    return {
      entries: [{ name: `OpenFeature + FlagstageProvider await get${workload.type === 'boolean' ? 'Boolean' : 'String'}Value`, fn, contexts: users.map(toContext), async: true, primary: true }],
      close: () => provider.onClose(),
    }
  },
  async load(json) {
    const { client, provider } = await start(JSON.parse(json))
    return { evaluate: (flag, u) => client.getBooleanValue(flag, false, toContext(u)), close: () => provider.onClose() }
  },
}
