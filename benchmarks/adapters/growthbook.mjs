// GrowthBook: the multi-user server client (`GrowthBookClient`, one per process, a user context per call),
// which is what GrowthBook recommends for Node since 1.3. Payload loaded with `initSync` (no clientKey,
// no streaming, no polling: nothing touches the network).
// Semantics: rollouts hash with FNV-1a 32 (`hashVersion` 1: fnv(seed + id) % 1000 / 1000), so the users in a
// 50% rollout differ from flagstage's; the share must still be ~50%. W4 is an experiment rule (variations +
// weights), GrowthBook's way to split; it would call a trackingCallback if one were set (none is).
import { GrowthBookClient } from '@growthbook/growthbook'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ attributes: { id: u.userId, country: u.country, plan: u.plan } })

const evaluator = (client, flag, type) =>
  type === 'boolean' ? (c) => client.isOn(flag, c) : (c) => client.getFeatureValue(flag, 'control', c)

export default {
  id: 'growthbook',
  label: 'GrowthBook',
  pkg: '@growthbook/growthbook',
  version: pkgVersion('@growthbook/growthbook'),
  group: 'peer',
  async setup(workload, users) {
    const client = new GrowthBookClient({})
    client.initSync({ payload: workloadConfig('growthbook') })
    return {
      entries: [{ name: `GrowthBook client.${workload.type === 'boolean' ? 'isOn(key, user)' : 'getFeatureValue(key, def, user)'}`, fn: evaluator(client, workload.flag, workload.type), contexts: users.map(toContext) }],
      close: () => client.destroy(),
    }
  },
  async load(json) {
    const client = new GrowthBookClient({})
    client.initSync({ payload: JSON.parse(json) })
    return { evaluate: (flag, u) => client.isOn(flag, toContext(u)), close: () => client.destroy() }
  },
}
