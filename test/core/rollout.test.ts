import { describe, expect, it } from 'vitest'
import { createClient, bucketOf, murmur3, variantBucketOf, type Config } from 'flagstage'

const ids = (n: number, prefix = 'user-'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

const rolloutConfig = (p: number, extra: Partial<Config['flags'][string]> = {}): Config => ({
  schemaVersion: 1,
  flags: { 'new-checkout': { enabled: true, rules: [{ serve: { rollout: p } }], ...extra } },
})

const inRollout = (config: Config, users: string[], key = 'new-checkout'): Set<string> => {
  const client = createClient({ bootstrap: config })
  const on = new Set(users.filter((userId) => client.forContext({ userId }).isEnabled(key)))
  client.close()
  return on
}

// Units whose bucket for salt 'new-checkout' is pinned (the hash vectors fix murmur3; this checks the ids).
const unitAt = { 0: 'unit-5657', 1: 'unit-6139', 28: 'unit-370', 29: 'unit-18404', 1639: 'unit-259', 1640: 'unit-22384', 5798: 'unit-16041', 5799: 'unit-15715' } as const

describe('rollout', () => {
  const users = ids(20_000)

  it('puts a unit in a p% rollout iff its bucket < round(p * 100)', () => {
    for (const p of [0, 0.01, 1.1, 10, 33.33, 50, 99.99, 100]) {
      const on = inRollout(rolloutConfig(p), users.slice(0, 3000))
      for (const u of users.slice(0, 3000)) expect(on.has(u)).toBe(bucketOf('new-checkout', u) < Math.round(p * 100))
    }
  })

  it('has units at the buckets the threshold tests need', () => {
    for (const [bucket, unit] of Object.entries(unitAt)) expect(bucketOf('new-checkout', unit)).toBe(Number(bucket))
  })

  // p * 100 is not exact in floating point: 0.29 * 100 = 28.999999999999996 and 16.4 * 100 = 1639.9999999999998,
  // so the threshold must be rounded (29, 1640 buckets), not truncated (28, 1639). A bucket equal to the
  // threshold is out: a rollout of p% admits buckets 0 .. p*100 - 1.
  it.each([
    [0.29, 28, 29],
    [16.4, 1639, 1640],
    [57.99, 5798, 5799],
    [0.01, 0, 1],
  ] as const)('at %s% serves the unit at bucket %i and not the one at bucket %i', (p, lastIn, firstOut) => {
    const client = createClient({ bootstrap: rolloutConfig(p) })
    expect(client.forContext({ userId: unitAt[lastIn] }).isEnabled('new-checkout')).toBe(true)
    expect(client.forContext({ userId: unitAt[firstOut] }).isEnabled('new-checkout')).toBe(false)
    client.close()
  })

  it('serves bucket 0 to nobody at 0% and bucket 9999 at 100%', () => {
    const at = (p: number, userId: string): boolean => createClient({ bootstrap: rolloutConfig(p) }).forContext({ userId }).isEnabled('new-checkout')
    expect(at(0, unitAt[0])).toBe(false)
    expect(at(100, unitAt[0])).toBe(true)
    const top = ids(100_000, 'top-').find((u) => bucketOf('new-checkout', u) === 9_999)!
    expect(at(100, top)).toBe(true)
    expect(at(99.99, top)).toBe(false)
  })

  it('rounds a ramp\'s threshold the same way mid-ramp (0% to 0.58% is 0.29% half way)', () => {
    const start = Date.UTC(2026, 11, 1)
    const end = start + 1_000_000
    const config: Config = {
      schemaVersion: 1,
      flags: { 'new-checkout': { enabled: true, rules: [{ serve: { rollout: { from: 0, to: 0.58, start: new Date(start).toISOString(), end: new Date(end).toISOString() } } }] } },
    }
    const half = createClient({ bootstrap: config, now: () => start + 500_000 })
    expect(half.forContext({ userId: unitAt[28] }).isEnabled('new-checkout')).toBe(true)
    expect(half.forContext({ userId: unitAt[29] }).isEnabled('new-checkout')).toBe(false)
    const before = createClient({ bootstrap: config, now: () => start })
    expect(before.forContext({ userId: unitAt[0] }).isEnabled('new-checkout')).toBe(false)
  })

  it('keeps the first 10% when the rollout rises to 20% (monotone)', () => {
    const at10 = inRollout(rolloutConfig(10), users)
    const at20 = inRollout(rolloutConfig(20), users)
    for (const u of at10) expect(at20.has(u)).toBe(true)
    expect(at10.size / users.length).toBeGreaterThan(0.09)
    expect(at10.size / users.length).toBeLessThan(0.11)
    expect(at20.size / users.length).toBeGreaterThan(0.19)
  })

  it('serves nobody at 0% and everybody at 100%', () => {
    expect(inRollout(rolloutConfig(0), users.slice(0, 2000)).size).toBe(0)
    expect(inRollout(rolloutConfig(100), users.slice(0, 2000)).size).toBe(2000)
  })

  it('draws independent populations for flags with different salts', () => {
    const a = inRollout(rolloutConfig(50), users)
    const b = inRollout(rolloutConfig(50, { salt: 'another-flag' }), users)
    let both = 0
    for (const u of a) if (b.has(u)) both++
    // independent halves overlap on about a quarter of users
    expect(both / users.length).toBeGreaterThan(0.23)
    expect(both / users.length).toBeLessThan(0.27)
  })

  it('reshuffles who gets what when the salt changes', () => {
    const a = inRollout(rolloutConfig(50), users.slice(0, 4000))
    const b = inRollout(rolloutConfig(50, { salt: 'new-checkout-2' }), users.slice(0, 4000))
    expect([...a].filter((u) => !b.has(u)).length).toBeGreaterThan(500)
  })

  it('hashes numbers as their decimal string and treats a missing unit as not in the rollout', () => {
    const client = createClient({ bootstrap: rolloutConfig(50) })
    const byNumber = client.forContext({ userId: 12345 }).isEnabled('new-checkout')
    expect(byNumber).toBe(client.forContext({ userId: '12345' }).isEnabled('new-checkout'))
    const e = client.forContext({}).explain('new-checkout')
    expect(e).toMatchObject({ value: false, variant: 'off', reason: 'DEFAULT', ruleIndex: -1 })
    expect(client.forContext({ userId: '' }).explain('new-checkout').reason).toBe('DEFAULT')
    expect(client.forContext({ userId: Number.NaN }).explain('new-checkout').reason).toBe('DEFAULT')
  })

  it('falls back from userId to sessionId to anonymousId, and honours `by`', () => {
    const c = createClient({ bootstrap: rolloutConfig(50) })
    const viaSession = c.forContext({ sessionId: 's-1' }).explain('new-checkout')
    expect(viaSession.bucket).toBe(bucketOf('new-checkout', 's-1'))
    const viaAnon = c.forContext({ anonymousId: 'a-1' }).explain('new-checkout')
    expect(viaAnon.bucket).toBe(bucketOf('new-checkout', 'a-1'))
    const byOrg = createClient({
      bootstrap: { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ serve: { rollout: 50, by: 'orgId' } }] } } },
    })
    expect(byOrg.forContext({ userId: 'u', orgId: 'acme' }).explain('f').bucket).toBe(bucketOf('f', 'acme'))
    expect(byOrg.forContext({ userId: 'u' }).explain('f').reason).toBe('DEFAULT')
  })
})

describe('stickiness lists, $random and custom bucketing (translated configs)', () => {
  const flag = (serve: object): Config => ({ schemaVersion: 1, flags: { f: { enabled: true, rules: [{ serve: serve as never }] } } })

  it('tries the attributes of a `by` list in order and skips a context that has none of them', () => {
    const c = createClient({ bootstrap: flag({ rollout: 50, by: ['orgId', 'teamId', 'userId'] }) })
    expect(c.forContext({ userId: 'u', teamId: 't', orgId: 'acme' }).explain('f').bucket).toBe(bucketOf('f', 'acme'))
    expect(c.forContext({ userId: 'u', teamId: 't' }).explain('f').bucket).toBe(bucketOf('f', 't'))
    expect(c.forContext({ userId: 'u', orgId: '' }).explain('f').bucket).toBe(bucketOf('f', 'u'))
    expect(c.forContext({ userId: 'u', orgId: 7 }).explain('f').bucket).toBe(bucketOf('f', '7'))
    expect(c.forContext({ sessionId: 's' }).explain('f')).toMatchObject({ reason: 'DEFAULT', bucket: -1 })
    c.close()
  })

  it('gives $random a fresh unit per evaluation (not sticky), and a list uses it only when nothing before it is set', () => {
    const random = createClient({ bootstrap: flag({ rollout: 50, by: '$random' }) })
    const answers = Array.from({ length: 400 }, () => random.forContext({ userId: 'same' }).isEnabled('f'))
    const on = answers.filter(Boolean).length
    expect(on).toBeGreaterThan(140) // ~200 of 400; a sticky unit would give 0 or 400
    expect(on).toBeLessThan(260)
    const list = createClient({ bootstrap: flag({ rollout: 50, by: ['userId', '$random'] }) })
    const sticky = new Set(Array.from({ length: 50 }, () => list.forContext({ userId: 'u-1' }).isEnabled('f')))
    expect(sticky.size).toBe(1)
    expect(new Set(Array.from({ length: 200 }, () => list.forContext({}).isEnabled('f'))).size).toBe(2)
    random.close()
    list.close()
  })

  it('takes round(p * buckets / 100) buckets of a custom bucket count, hashing prefix + unit with the seed', () => {
    const c = createClient({ bootstrap: flag({ rollout: 37.4, hash: { prefix: 'pre.', seed: 9, buckets: 100 } }) })
    for (const u of ids(2000)) {
      const b = murmur3(`pre.${u}`, 9) % 100
      expect(c.forContext({ userId: u }).explain('f')).toMatchObject({ bucket: b, value: b < 37 })
    }
    c.close()
  })

  it('grows a custom-bucket ramp along round(p * buckets / 100) too', () => {
    const start = Date.parse('2026-12-01T00:00:00Z')
    const day = 86_400_000
    let t = start + day // half way: 10% -> 30% is 20% = 20 of 100 buckets
    const c = createClient({
      now: () => t,
      bootstrap: flag({ rollout: { from: 10, to: 30, start: '2026-12-01T00:00:00Z', end: '2026-12-03T00:00:00Z' }, hash: { buckets: 100 } }),
    })
    for (const u of ids(500)) {
      const b = murmur3(`f:${u}`) % 100
      t = start + day
      expect(c.forContext({ userId: u }).isEnabled('f')).toBe(b < 20)
      t = start + 3 * day
      expect(c.forContext({ userId: u }).isEnabled('f')).toBe(b < 30)
    }
    c.close()
  })
})

describe('split', () => {
  const config: Config = {
    schemaVersion: 1,
    flags: {
      'checkout-button': {
        enabled: true,
        variants: { control: 'blue', treatment: 'green', third: 'red' },
        offVariant: 'control',
        rules: [{ serve: { split: { control: 50, treatment: 30, third: 20 } } }],
      },
    },
  }

  it('serves the first variant whose cumulative share exceeds the variant bucket', () => {
    const c = createClient({ bootstrap: config })
    for (const u of ids(2000)) {
      const v = variantBucketOf('checkout-button', u)
      const expected = v < 5000 ? 'control' : v < 8000 ? 'treatment' : 'third'
      const e = c.forContext({ userId: u }).explain('checkout-button')
      expect(e.variant).toBe(expected)
      expect(e.reason).toBe('SPLIT')
    }
  })

  it('splits 50/30/20 within a percent over 20k users', () => {
    const c = createClient({ bootstrap: config })
    const counts: Record<string, number> = {}
    for (const u of ids(20_000)) {
      const name = c.forContext({ userId: u }).variant('checkout-button').name!
      counts[name] = (counts[name] ?? 0) + 1
    }
    expect(counts.control! / 20_000).toBeCloseTo(0.5, 1)
    expect(counts.treatment! / 20_000).toBeCloseTo(0.3, 1)
    expect(counts.third! / 20_000).toBeCloseTo(0.2, 1)
  })

  it('keeps each user on the same variant when a rollout in front of the split changes', () => {
    const withRollout = (p: number): Config => ({
      schemaVersion: 1,
      flags: {
        f: {
          enabled: true,
          variants: { a: 'A', b: 'B', off: 'none' },
          rules: [
            { serve: { rollout: p, variant: 'a' } },
            { serve: { split: { a: 50, b: 50 } } },
          ],
        },
      },
    })
    const at20 = createClient({ bootstrap: withRollout(20) })
    const at60 = createClient({ bootstrap: withRollout(60) })
    for (const u of ids(3000)) {
      const before = at20.forContext({ userId: u }).explain('f')
      const after = at60.forContext({ userId: u }).explain('f')
      if (before.ruleIndex === 1 && after.ruleIndex === 1) expect(after.variant).toBe(before.variant)
      if (before.ruleIndex === 0) expect(after.ruleIndex).toBe(0)
    }
  })

  // Mutation-testing survivors (Stryker, src/core/rollout.ts), pinned through the client.
  it('skips a userId that is empty, a non-finite number or not a string/number, and uses the next stickiness key', () => {
    const c = createClient({ bootstrap: rolloutConfig(50) })
    const bucketFor = (ctx: Record<string, unknown>): number => c.forContext(ctx as never).explain('new-checkout').bucket
    const viaSession = bucketOf('new-checkout', 's-1')
    for (const userId of ['', Number.NaN, Number.POSITIVE_INFINITY, true, { id: 1 }]) expect(bucketFor({ userId, sessionId: 's-1' })).toBe(viaSession)
    expect(bucketFor({ userId: Number.NaN })).toBe(-1)
    expect(bucketFor({ userId: true })).toBe(-1)
  })

  const ramp = (from: number, to: number, start: number, end: number): Config => ({
    schemaVersion: 1,
    flags: { 'new-checkout': { enabled: true, rules: [{ serve: { rollout: { from, to, start: new Date(start).toISOString(), end: new Date(end).toISOString() } } }] } },
  })
  const T0 = Date.UTC(2026, 11, 1)
  const SPAN = 1_000_000
  const onAt = (config: Config, now: number, bucket: keyof typeof unitAt): boolean =>
    createClient({ bootstrap: config, now: () => now }).forContext({ userId: unitAt[bucket] }).isEnabled('new-checkout')

  it('holds a ramp at `from` before its start and at `to` after its end (no extrapolation)', () => {
    // 10% -> 50%: long before the start the unit at bucket 28 is in (extrapolating would give a negative share).
    expect(onAt(ramp(10, 50, T0, T0 + SPAN), T0 - 10 * SPAN, 28)).toBe(true)
    // 0% -> 0.29%: long after the end the unit at bucket 29 stays out (extrapolating would let it in).
    expect(onAt(ramp(0, 0.29, T0, T0 + SPAN), T0 + 10 * SPAN, 29)).toBe(false)
    expect(onAt(ramp(0, 0.29, T0, T0 + SPAN), T0 + 10 * SPAN, 28)).toBe(true)
  })

  it('interpolates between from and to, not from 0 (10% -> 20% is 15% half way)', () => {
    const half = T0 + SPAN / 2
    expect(onAt(ramp(10, 20, T0, T0 + SPAN), half, 1)).toBe(true)
    const at1499 = createClient({ bootstrap: ramp(10, 20, T0, T0 + SPAN), now: () => half }).forContext({ userId: 'unit-13339' })
    expect(at1499.explain('new-checkout').bucket).toBe(1499)
    expect(at1499.isEnabled('new-checkout')).toBe(true)
    expect(onAt(ramp(10, 20, T0, T0 + SPAN), half, 1639)).toBe(false) // in at 25% (to + from), out at 15%
  })

  it('gives a unit whose variant bucket equals a split boundary the next variant (boundaries are exclusive)', () => {
    expect(variantBucketOf('new-checkout', 'unit-761')).toBe(5000)
    const config: Config = {
      schemaVersion: 1,
      flags: { 'new-checkout': { enabled: true, variants: { a: 'A', b: 'B' }, offVariant: 'a', rules: [{ serve: { split: { a: 50, b: 50 } } }] } },
    }
    expect(createClient({ bootstrap: config }).forContext({ userId: 'unit-761' }).variant('new-checkout').name).toBe('b')
  })
})
