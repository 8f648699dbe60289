// What the client specification leaves out: non-ASCII stickiness ids, the default groupId and the
// stickiness fallbacks. The oracle for ASCII ids is unleash-client-node's own hash (its util module);
// for non-ASCII ids the reference is murmur3 over UTF-8 bytes, as Unleash's other SDKs hash, which
// the Node client does not (murmurhash3js keeps the low byte of each UTF-16 code unit).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { createClient, murmur3, validateConfig } from 'flagstage'
import { fromUnleash, toContext, unleashVariant } from 'flagstage/unleash'
import type { UnleashFeature } from 'flagstage/unleash'

const require = createRequire(import.meta.url)
const node = require('unleash-client/lib/strategy/util') as {
  normalizedStrategyValue: (id: string, groupId: string) => number
  normalizedVariantValue: (id: string, groupId: string, normalizer: number) => number
}

const client = (...features: UnleashFeature[]) => createClient({ bootstrap: validateConfig(fromUnleash({ version: 2, features })) })
const flexible = (name: string, rollout: number, parameters: Record<string, string> = {}): UnleashFeature => ({
  name, enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(rollout), ...parameters } }],
})
const ascii = Array.from({ length: 300 }, (_, i) => `user-${i * 7919}`)
const unicode = ['Zoë', '日本語-42', 'ünïcødé', '👩‍💻', 'Łukasz', 'सत्य', 'مرحبا', 'Ωmega-7']

describe('Unleash rollout hashing', () => {
  it('enables exactly the ASCII ids unleash-client-node enables (murmur3(groupId:id) % 100 + 1 <= rollout)', () => {
    const flags = client(flexible('f', 37, { groupId: 'g', stickiness: 'userId' }))
    for (const userId of ascii) {
      expect(flags.forContext({ userId }).isEnabled('f')).toBe(node.normalizedStrategyValue(userId, 'g') <= 37)
    }
  })

  it('hashes non-ASCII ids as UTF-8 bytes, where the Node client truncates UTF-16 code units', () => {
    const flags = client(flexible('f', 50, { groupId: 'g', stickiness: 'userId' }))
    let differs = 0
    for (const userId of unicode) {
      const utf8 = (murmur3(`g:${userId}`) % 100) + 1
      expect(flags.forContext({ userId }).isEnabled('f')).toBe(utf8 <= 50)
      if (node.normalizedStrategyValue(userId, 'g') !== utf8) differs++
    }
    expect(differs).toBeGreaterThan(0) // the documented difference is real
  })

  it('defaults the groupId of a flexible rollout to the feature name', () => {
    const flags = client(flexible('checkout', 50, { stickiness: 'userId' }), flexible('other', 50, { stickiness: 'userId', groupId: 'checkout' }))
    for (const userId of ascii.slice(0, 100)) {
      const on = flags.forContext({ userId }).isEnabled('checkout')
      expect(on).toBe(node.normalizedStrategyValue(userId, 'checkout') <= 50)
      expect(flags.forContext({ userId }).isEnabled('other')).toBe(on)
    }
  })

  it('falls back from userId to sessionId, then to a random id, for default stickiness', () => {
    const flags = client(flexible('f', 50))
    for (const id of ascii.slice(0, 50)) {
      const byUser = flags.forContext({ userId: id, sessionId: 'other' }).isEnabled('f')
      expect(byUser).toBe(node.normalizedStrategyValue(id, 'f') <= 50)
      expect(flags.forContext({ sessionId: id }).isEnabled('f')).toBe(node.normalizedStrategyValue(id, 'f') <= 50)
    }
    // No id at all: a random one per evaluation, so about half the evaluations are enabled.
    const seen = new Set(Array.from({ length: 200 }, () => flags.forContext({}).isEnabled('f')))
    expect(seen).toEqual(new Set([true, false]))
  })

  it('does not fall back for a custom stickiness field: without it the strategy is off', () => {
    const flags = client(flexible('f', 100, { stickiness: 'tenant' }))
    expect(flags.forContext(toContext({ properties: { tenant: 't-1' } })).isEnabled('f')).toBe(true)
    expect(flags.forContext(toContext({ userId: 'u-1' })).isEnabled('f')).toBe(false)
  })

  it('picks variants as the Node client does (seed 86028157, % total weight), with the feature name as groupId', () => {
    const flags = client({
      name: 'color', enabled: true, strategies: [{ name: 'default' }],
      variants: [{ name: 'red', weight: 333, stickiness: 'default' }, { name: 'green', weight: 333 }, { name: 'blue', weight: 334 }],
    })
    for (const userId of ascii) {
      const target = node.normalizedVariantValue(userId, 'color', 1000)
      expect(unleashVariant(flags.forContext({ userId }), 'color').name).toBe(target <= 333 ? 'red' : target <= 666 ? 'green' : 'blue')
    }
  })

  it('falls back to remoteAddress for default variant stickiness', () => {
    const flags = client({ name: 'v', enabled: true, strategies: [], variants: [{ name: 'a', weight: 500 }, { name: 'b', weight: 500 }] })
    for (const ip of ['10.0.0.1', '192.168.7.9', '172.16.0.4', '8.8.8.8']) {
      const expected = node.normalizedVariantValue(ip, 'v', 1000) <= 500 ? 'a' : 'b'
      expect(unleashVariant(flags.forContext(toContext({ remoteAddress: ip })), 'v').name).toBe(expected)
    }
  })
})
