import { describe, expect, it } from 'vitest'
import { createClient, murmur3, validateConfig, type Config, type FlagConfig } from 'flagstage'
import { inCidrOperator, matchesOperator, registerOperators } from 'flagstage'
// matches and inCidr are opt-in operators (test/core/operators.test.ts: configs that use them unregistered).
registerOperators(matchesOperator, inCidrOperator)

const one = (flag: FlagConfig, extra: Record<string, FlagConfig> = {}) =>
  createClient({ bootstrap: validateConfig({ schemaVersion: 1, flags: { f: flag, ...extra } } satisfies Config) })

const ids = Array.from({ length: 400 }, (_, i) => `user-${i}-é`)

describe('hash bucketing on a serve', () => {
  it('takes buckets below round(p * buckets / 100) of murmur3(prefix + unit, seed) % buckets', () => {
    const client = one({ enabled: true, rules: [{ serve: { rollout: 37, hash: { prefix: 'grp:', buckets: 100 } } }] })
    for (const userId of ids) {
      expect(client.forContext({ userId }).isEnabled('f')).toBe(murmur3(`grp:${userId}`) % 100 < 37)
    }
  })

  it('reads a seed, and splits by relative weights with their own bucket count', () => {
    const client = one({
      enabled: true,
      variants: { a: 'a', b: 'b', c: 'c' },
      offVariant: 'a',
      rules: [{ serve: { split: { a: 200, b: 0, c: 800 }, hash: { prefix: 'x:', seed: 86028157, buckets: 1000 } } }],
    })
    for (const userId of ids) {
      const v = murmur3(`x:${userId}`, 86028157) % 1000
      expect(client.forContext({ userId }).variant('f').name).toBe(v < 200 ? 'a' : 'c')
    }
  })

  it('scales the hash into buckets as floor(hash * buckets / 2^32)', () => {
    const client = one({
      enabled: true,
      variants: { a: 'a', b: 'b' },
      offVariant: 'a',
      rules: [{ serve: { split: { a: 1, b: 2 }, by: 'key', hash: { prefix: 'k', buckets: 3, map: 'scale' } } }],
    })
    for (const key of ids) {
      const bucket = Number((BigInt(murmur3(`k${key}`)) * 3n) >> 32n)
      expect(client.forContext({ key }).variant('f').name).toBe(bucket < 1 ? 'a' : 'b')
    }
  })

  it('reads the hash as a signed magnitude with map "abs"', () => {
    const client = one({
      enabled: true,
      variants: { a: 'a', b: 'b' },
      offVariant: 'a',
      rules: [{ serve: { split: { a: 25, b: 75 }, by: 'key', hash: { prefix: '', buckets: 2147483647, map: 'abs' } } }],
    })
    for (const key of ids) {
      const magnitude = Math.abs(murmur3(key) | 0)
      expect(client.forContext({ key }).variant('f').name).toBe(magnitude < 2147483647 / 4 ? 'a' : 'b')
    }
  })

  it('splits only the units inside a rollout with "then", and lets the others fall through', () => {
    const client = one({
      enabled: true,
      variants: { none: false, a: true, b: true },
      offVariant: 'none',
      rules: [{
        serve: {
          rollout: 50, hash: { prefix: 'g:', buckets: 100 },
          then: { split: { a: 1, b: 1 }, by: 'sessionId', hash: { prefix: 'g:', seed: 7, buckets: 2 } },
        },
      }],
    })
    for (const userId of ids) {
      const x = client.forContext({ userId, sessionId: `s-${userId}` }).explain('f')
      const inRollout = murmur3(`g:${userId}`) % 100 < 50
      expect(x.variant).toBe(inRollout ? (murmur3(`g:s-${userId}`, 7) % 2 === 0 ? 'a' : 'b') : 'none')
      expect(x.reason).toBe(inRollout ? 'SPLIT' : 'DEFAULT')
    }
    // No sessionId for the split: the unit falls through like any unit without an id.
    const inside = ids.find((userId) => murmur3(`g:${userId}`) % 100 < 50)!
    expect(client.forContext({ userId: inside }).variant('f').name).toBe('none')
  })
})

describe('stickiness lists', () => {
  it('takes the first attribute present, in order', () => {
    const client = one({ enabled: true, rules: [{ serve: { rollout: 50, by: ['accountId', 'deviceId'] } }] })
    const deviceOnly = client.forContext({ deviceId: 'd-1' }).explain('f').bucket
    expect(client.forContext({ accountId: 'd-1', deviceId: 'other' }).explain('f').bucket).toBe(deviceOnly)
    expect(client.forContext({ userId: 'u' }).explain('f').bucket).toBe(-1)
  })

  it('draws a fresh random unit for $random, so a 50% rollout is not sticky', () => {
    const client = one({ enabled: true, rules: [{ serve: { rollout: 50, by: ['userId', '$random'] } }] })
    const seen = new Set(Array.from({ length: 200 }, () => client.forContext({}).isEnabled('f')))
    expect(seen).toEqual(new Set([true, false]))
    // A userId, when present, still decides.
    const first = client.forContext({ userId: 'u-1' }).isEnabled('f')
    for (let i = 0; i < 20; i++) expect(client.forContext({ userId: 'u-1' }).isEnabled('f')).toBe(first)
  })
})

describe('inCidr', () => {
  const client = one({
    enabled: true,
    rules: [{ if: { attr: 'ip', op: 'inCidr', values: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::ffff:0:0/96'] }, serve: 'on' }],
  })
  it.each([
    ['10.1.2.3', true], ['11.0.0.1', false], ['192.168.1.7', true], ['192.168.1.8', false],
    ['2001:db8:abcd::1', true], ['2001:db9::1', false], ['::ffff:1.2.3.4', true], ['10.0.0.0/8', false],
    ['not an ip', false], ['010.1.2.3', false], [42, false],
  ] as const)('%s → %s', (ip, hit) => {
    expect(client.forContext({ ip }).isEnabled('f')).toBe(hit)
  })
})

describe('prerequisites by enabled state or variant list', () => {
  const extra: Record<string, FlagConfig> = {
    parent: { enabled: true, variants: { off: null, x: 1, y: 2 }, rules: [{ if: { attr: 'v', op: 'exists' }, serve: 'x' }] },
  }
  it('meets { enabled } by the parent isEnabled answer', () => {
    const on = one({ enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'parent', enabled: true }] }, extra)
    const off = one({ enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'parent', enabled: false }] }, extra)
    expect([on.forContext({ v: 1 }).isEnabled('f'), on.forContext({}).isEnabled('f')]).toEqual([true, false])
    expect([off.forContext({ v: 1 }).isEnabled('f'), off.forContext({}).isEnabled('f')]).toEqual([false, true])
  })
  it('meets a variant list when the parent serves any of them, and never an empty one', () => {
    const any = one({ enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'parent', variant: ['y', 'x'] }] }, extra)
    const never = one({ enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'parent', variant: [] }] }, extra)
    expect([any.forContext({ v: 1 }).isEnabled('f'), any.forContext({}).isEnabled('f')]).toEqual([true, false])
    expect(never.forContext({ v: 1 }).explain('f').reason).toBe('DISABLED')
  })
})

describe('offVariant null', () => {
  const flag: FlagConfig = {
    enabled: true, variants: { red: 'red', blue: 'blue' }, offVariant: null,
    rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'blue' }],
  }
  it('gives readers their own default, with no variant, when no rule serves', () => {
    const client = one(flag)
    const x = client.forContext({}).explain('f')
    expect([x.variant, x.reason, x.value]).toEqual([undefined, 'DEFAULT', undefined])
    expect(client.forContext({}).value('f', 'green')).toBe('green')
    expect(client.forContext({ plan: 'pro' }).value('f', 'green')).toBe('blue')
    expect(client.forContext({}).snapshot().flags).toEqual({})
  })
  it('serves the caller default to everyone when the flag is disabled', () => {
    const client = createClient({ bootstrap: validateConfig({ schemaVersion: 1, flags: { f: { ...flag, enabled: false } } }), defaults: { f: true } })
    expect(client.forContext({ plan: 'pro' }).explain('f')).toMatchObject({ variant: undefined, reason: 'DISABLED', value: true })
    expect(client.forContext({ plan: 'pro' }).isEnabled('f')).toBe(true)
  })
})
