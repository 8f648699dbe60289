// Unleash Node SDK, fully offline: bootstrap data, in-memory storage (no backup file), refreshInterval 0
// (the poller never fetches), metrics disabled, and an unroutable url (127.0.0.1:9) in case anything tried.
// Semantics: flexibleRollout normalises murmur3(`groupId:userId`, seed 0) % 100 + 1, so rollouts have 1%
// granularity (flagstage: 0.01%) and the same user gets a different bucket than in flagstage. W3 is two
// strategies (Unleash ORs strategies): a 100% rollout constrained to country IN [...] and plan IN [pro], and
// a 10% rollout. W4 uses feature variants (weights 500/300/200 of 1000, stickiness userId; Unleash hashes
// with its own seed). Contexts put country/plan in `properties`, as Unleash expects for custom fields.
import { once } from 'node:events'
import { InMemStorageProvider, Unleash } from 'unleash-client'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ userId: u.userId, properties: { country: u.country, plan: u.plan } })

const start = async (features) => {
  const unleash = new Unleash({
    appName: 'flagstage-bench',
    url: 'http://127.0.0.1:9/',
    refreshInterval: 0,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: features },
    skipInstanceCountWarning: true,
  })
  unleash.on('error', () => {})
  unleash.on('warn', () => {})
  if (!unleash.isSynchronized()) await once(unleash, 'synchronized')
  return unleash
}

export default {
  id: 'unleash',
  label: 'Unleash',
  pkg: 'unleash-client',
  version: pkgVersion('unleash-client'),
  group: 'peer',
  async setup(workload, users) {
    const unleash = await start(workloadConfig('unleash').features)
    const flag = workload.flag
    const fn = workload.type === 'boolean' ? (c) => unleash.isEnabled(flag, c) : (c) => unleash.getVariant(flag, c).name
    return {
      entries: [{ name: `Unleash ${workload.type === 'boolean' ? 'isEnabled' : 'getVariant'}(key, ctx)`, fn, contexts: users.map(toContext) }],
      close: () => unleash.destroy(),
    }
  },
  async load(json) {
    const unleash = await start(JSON.parse(json).features)
    return { evaluate: (flag, u) => unleash.isEnabled(flag, toContext(u)), close: () => unleash.destroy() }
  },
}
