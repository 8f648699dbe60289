import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  bucketOf, createClient, describeFlag, validateConfig, variantBucketOf,
  type Condition, type ConditionDescription, type Config, type FlagConfig,
} from 'flagstage'

const config: Config = {
  schemaVersion: 1,
  revision: 'r7',
  segments: { beta: { all: [{ attr: 'email', op: 'endsWith', value: '@example.com' }, { attr: 'plan', op: 'eq', value: 'pro' }] } },
  flags: {
    'payments-v2': { enabled: true, rules: [{ if: { attr: 'country', op: 'neq', value: 'DE' }, serve: 'on' }] },
    'new-checkout': {
      enabled: true,
      rules: [
        { if: { segment: 'beta' }, serve: 'on' },
        { if: { attr: 'country', op: 'in', values: ['US', 'CA'] }, serve: { rollout: 25 } },
        { serve: { rollout: { from: 10, to: 50, start: '2026-12-01T00:00:00Z', end: '2026-12-05T00:00:00Z' } } },
      ],
      schedule: { from: '2026-11-01T00:00:00Z', until: '2027-01-01T00:00:00Z' },
      requires: [{ flag: 'payments-v2', variant: 'on' }],
    },
    'checkout-button': {
      enabled: true,
      variants: { control: 'blue', treatment: 'green' },
      offVariant: 'control',
      salt: 'cb-2026',
      rules: [{ serve: { split: { control: 50, treatment: 50 } } }],
    },
    killed: { enabled: false, rules: [{ serve: 'on' }] },
  },
}
const DEC_3 = Date.parse('2026-12-03T00:00:00Z')

describe('describeFlag()', () => {
  it('says which condition of each earlier rule failed, with the attribute value, and which rule served', () => {
    const d = describeFlag(config, 'new-checkout', { userId: 'u-1', email: 'a@example.com', plan: 'free', country: 'FR' }, { now: DEC_3 })
    expect(d.rules[0]).toMatchObject({ outcome: 'no-match', if: { passed: false } })
    const segment = d.rules[0]!.if!.parts![0]!
    expect(segment.parts!.map((p) => [p.passed, p.actual])).toEqual([[true, 'a@example.com'], [false, 'free']])
    expect(d.rules[1]).toMatchObject({ outcome: 'no-match', if: { passed: false, actual: 'FR' } })
    // the ramp: 10% → 50% over 4 days, half way on Dec 3: 30%
    expect(d.rules[2]).toMatchObject({ unit: 'u-1', bucket: bucketOf('new-checkout', 'u-1'), threshold: 3000 })
    const served = d.rules[2]!.bucket! < 3000
    expect(d.rules[2]!.outcome).toBe(served ? 'served' : 'outside')
    expect(d).toMatchObject({ decidedBy: served ? 'rule' : 'no-rule', value: served, reason: served ? 'SPLIT' : 'DEFAULT', revision: 'r7' })
    expect(d.schedule).toEqual({ from: '2026-11-01T00:00:00Z', until: '2027-01-01T00:00:00Z', state: 'active' })
    expect(d.requires).toEqual([{ flag: 'payments-v2', variant: 'on', served: 'on', met: true }])
  })

  it('shows the bucket against the threshold for a unit just outside and just inside a rollout', () => {
    // find two US users on either side of the 25% line
    const ids = Array.from({ length: 200 }, (_, i) => `user-${i}`)
    const inside = ids.find((id) => bucketOf('new-checkout', id) < 2500)!
    const outside = ids.find((id) => bucketOf('new-checkout', id) >= 2500)!
    const at = { now: DEC_3 }
    expect(describeFlag(config, 'new-checkout', { userId: inside, country: 'US' }, at).rules[1]).toMatchObject({ outcome: 'served', threshold: 2500 })
    const out = describeFlag(config, 'new-checkout', { userId: outside, country: 'US' }, at)
    expect(out.rules[1]).toMatchObject({ outcome: 'outside', threshold: 2500, bucket: bucketOf('new-checkout', outside) })
    expect(out.rules[2]!.outcome).not.toBe('not-reached')
  })

  it('reports schedules, prerequisites, the kill switch and missing units as what decided', () => {
    const before = describeFlag(config, 'new-checkout', { userId: 'u' }, { now: Date.parse('2026-10-01') })
    expect(before).toMatchObject({ decidedBy: 'schedule', value: false, reason: 'DISABLED', schedule: { state: 'before' } })
    expect(before.rules.every((r) => r.outcome === 'not-reached')).toBe(true)
    expect(describeFlag(config, 'new-checkout', { userId: 'u' }, { now: Date.parse('2027-02-01') }).schedule!.state).toBe('after')
    const de = describeFlag(config, 'new-checkout', { userId: 'u', country: 'DE' }, { now: DEC_3 })
    expect(de).toMatchObject({ decidedBy: 'prerequisite', requires: [{ flag: 'payments-v2', variant: 'on', served: 'off', met: false }] })
    expect(describeFlag(config, 'killed', {})).toMatchObject({ decidedBy: 'kill-switch', value: false, enabled: false })
    const anonymous = describeFlag(config, 'new-checkout', { country: 'US' }, { now: DEC_3 })
    expect(anonymous.rules.map((r) => r.outcome)).toEqual(['no-match', 'no-unit', 'no-unit'])
    expect(describeFlag(config, 'nope', {})).toMatchObject({ found: false, decidedBy: 'not-found', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
  })

  it('gives the variant bucket and each variant range of a split', () => {
    const d = describeFlag(config, 'checkout-button', { userId: 'u-9' })
    const b = variantBucketOf('cb-2026', 'u-9')
    expect(d.rules[0]).toMatchObject({
      outcome: 'served', bucket: b, variant: b < 5000 ? 'control' : 'treatment',
      ranges: [{ variant: 'control', from: 0, to: 5000 }, { variant: 'treatment', from: 5000, to: 10000 }],
    })
    expect(d.variant).toBe(d.rules[0]!.variant)
  })

  it('describes the split of a rollout with then: its own unit, bucket, ranges and the variant picked', () => {
    const cfg: Config = {
      schemaVersion: 1,
      flags: {
        exp: {
          enabled: true, variants: { a: 1, b: 2, off: 0 }, offVariant: 'off',
          rules: [{ serve: { rollout: 100, then: { split: { a: 25, b: 75 }, by: 'sessionId', salt: 'exp-split' } } }],
        },
      },
    }
    for (const sessionId of ['s-1', 's-2', 's-3', 's-4', 's-5']) {
      const d = describeFlag(cfg, 'exp', { userId: 'u-1', sessionId })
      const b = variantBucketOf('exp-split', sessionId)
      expect(d.rules[0]).toMatchObject({
        outcome: 'served', unit: 'u-1', variant: b < 2500 ? 'a' : 'b',
        then: { unit: sessionId, bucket: b, variant: b < 2500 ? 'a' : 'b', ranges: [{ variant: 'a', from: 0, to: 2500 }, { variant: 'b', from: 2500, to: 10000 }] },
      })
      expect(d.variant).toBe(d.rules[0]!.then!.variant)
    }
    // No split unit: the rule cannot place the unit and the flag falls through to its off variant.
    const missing = describeFlag(cfg, 'exp', { userId: 'u-1' })
    expect(missing.rules[0]).toMatchObject({ outcome: 'no-unit', then: { ranges: [{ variant: 'a' }, { variant: 'b' }] } })
    expect(missing.rules[0]!.then!.unit).toBeUndefined()
    expect(missing).toMatchObject({ variant: 'off', reason: 'DEFAULT' })
  })

  it('says an evaluated snapshot decided, not an override', () => {
    const client = createClient({ bootstrap: { evaluated: true, revision: 's1', flags: { a: { variant: 'on', value: true, enabled: true } } } })
    expect(describeFlag(client, 'a')).toMatchObject({ found: true, decidedBy: 'snapshot', value: true, variant: 'on', rules: [] })
    expect(describeFlag(client, 'b')).toMatchObject({ found: false, decidedBy: 'not-found' })
    client.close()
  })

  it('honours overrides and pinned buckets, and rejects invalid configs', () => {
    expect(describeFlag(config, 'killed', {}, { overrides: { killed: 'on' } })).toMatchObject({ decidedBy: 'override', override: 'on', value: true })
    const pinned = describeFlag(config, 'new-checkout', { userId: 'u', country: 'US' }, { now: DEC_3, buckets: { 'new-checkout': 2499 } })
    expect(pinned.rules[1]).toMatchObject({ outcome: 'served', bucket: 2499 })
    expect(pinned.bucket).toBe(2499)
    expect(() => describeFlag({ schemaVersion: 1, flags: { a: { enabled: 'yes' } } } as unknown as Config, 'a')).toThrow(/flags\.a\.enabled/)
  })

  it('describes a client with its own context, clock, overrides and pins', () => {
    let now = DEC_3
    const client = createClient({
      bootstrap: config, context: { userId: 'u', country: 'US' }, now: () => now,
      overrides: { killed: 'on' }, buckets: { 'new-checkout': 2500 },
    })
    expect(describeFlag(client, 'new-checkout').rules[1]).toMatchObject({ outcome: 'outside', bucket: 2500, threshold: 2500 })
    expect(describeFlag(client, 'new-checkout', { userId: 'u', country: 'FR' }).rules[1]!.outcome).toBe('no-match')
    expect(describeFlag(client, 'killed')).toMatchObject({ decidedBy: 'override', value: true })
    now = Date.parse('2027-06-01')
    expect(describeFlag(client, 'new-checkout')).toMatchObject({ decidedBy: 'schedule', at: now })
    client.close()
    // a typed client is accepted too
    const typed = createClient<{ 'new-checkout': boolean; killed: boolean }>({ bootstrap: config })
    expect(describeFlag(typed, 'killed').decidedBy).toBe('kill-switch')
  })
})

// Agreement with the evaluator over random configs and contexts: the rule the walk says served is the
// rule the evaluator reports, with the same value, and every and/or/not node agrees with its parts.
const attrs = ['country', 'plan', 'age', 'roles']
const scalar = fc.oneof(fc.constantFrom('US', 'FR', 'pro', 'free'), fc.integer({ min: 0, max: 50 }))
const attrCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('in' as const, 'notIn' as const), values: fc.array(scalar, { maxLength: 3 }) }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('eq' as const, 'neq' as const), value: scalar }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('lt' as const, 'gte' as const), value: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constant('exists' as const) }),
)
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    attrCondition,
    fc.record({ all: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('c') }),
    fc.constant({ segment: 'seg' }),
  ),
})).c
const serve = fc.oneof(
  fc.constantFrom('on', 'off'),
  fc.record({ rollout: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100) }),
  fc.constant({ split: { on: 30, off: 70 } }),
  // A rollout that splits its units, by another unit than the rollout's (which may be missing).
  fc.record({ rollout: fc.integer({ min: 0, max: 100 }), then: fc.constant({ split: { on: 40, off: 60 }, by: 'plan' }) }),
)
const flag: fc.Arbitrary<FlagConfig> = fc.record({
  enabled: fc.boolean(),
  rules: fc.array(fc.record({ if: condition, serve }, { requiredKeys: ['serve'] }), { maxLength: 4 }),
})
const randomConfig = fc.record({ a: flag, b: flag, seg: attrCondition }).map(({ a, b, seg }): Config => ({
  schemaVersion: 1, segments: { seg }, flags: { a, b: { ...b, requires: [{ flag: 'a', variant: 'on' }] } },
}))
const context = fc.record({
  userId: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4', 7), { nil: undefined }),
  country: fc.option(scalar, { nil: undefined }),
  plan: fc.option(scalar, { nil: undefined }),
  age: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  roles: fc.option(fc.array(scalar, { maxLength: 2 }), { nil: undefined }),
}, { requiredKeys: [] })

const coherent = (d: ConditionDescription): boolean => {
  const parts = d.parts ?? []
  const c = d.condition
  const ok = 'all' in c ? d.passed === parts.every((p) => p.passed)
    : 'any' in c ? d.passed === parts.some((p) => p.passed)
      : 'not' in c ? d.passed === !parts[0]!.passed
        : 'segment' in c ? d.passed === parts[0]!.passed
          : true
  return ok && parts.every(coherent)
}

describe('describeFlag() agrees with the evaluator', () => {
  it('on the serving rule, the value and every condition node, over random configs and contexts', () => {
    fc.assert(
      fc.property(randomConfig, fc.array(context, { minLength: 1, maxLength: 4 }), (cfg, contexts) => {
        try {
          validateConfig(cfg)
        } catch {
          return // a segment that references itself: not a config
        }
        const client = createClient({ bootstrap: cfg })
        for (const ctx of contexts) {
          for (const key of ['a', 'b']) {
            const x = client.forContext(ctx).explain(key)
            const d = describeFlag(cfg, key, ctx)
            expect([d.value, d.variant, d.reason, d.ruleIndex, d.bucket]).toEqual([x.value, x.variant, x.reason, x.ruleIndex, x.bucket])
            const served = d.rules.filter((r) => r.outcome === 'served').map((r) => r.index)
            expect(served).toEqual(d.decidedBy === 'rule' ? [x.ruleIndex] : [])
            if (d.decidedBy === 'rule') expect(d.rules[x.ruleIndex]!.variant).toBe(x.variant)
            for (const r of d.rules) {
              if (r.if) expect(coherent(r.if)).toBe(true)
              if (r.outcome === 'no-match') expect(r.if!.passed).toBe(false)
            }
          }
        }
        client.close()
      }),
      { numRuns: 150 },
    )
  })
})
