import { describe, expect, it } from 'vitest'
import { createClient, type Config } from 'flagstage'

const T0 = Date.parse('2026-12-01T09:00:00Z')
const DAY = 86_400_000

const config: Config = {
  schemaVersion: 1,
  revision: 'r1',
  segments: { beta: { all: [{ attr: 'email', op: 'endsWith', value: '@example.com' }] } },
  flags: {
    'payments-v2': { enabled: true, rules: [{ if: { attr: 'country', op: 'in', values: ['US', 'CA'] }, serve: 'on' }] },
    'new-checkout': {
      enabled: true,
      rules: [
        { if: { segment: 'beta' }, serve: 'on' },
        { if: { attr: 'country', op: 'in', values: ['US', 'CA'] }, serve: { rollout: 25 } },
      ],
      requires: [{ flag: 'payments-v2', variant: 'on' }],
    },
    everyone: { enabled: true, rules: [{ serve: 'on' }] },
    killed: { enabled: false, rules: [{ serve: 'on' }] },
    'no-rules': { enabled: true },
    scheduled: {
      enabled: true,
      rules: [{ serve: 'on' }],
      schedule: { from: '2026-12-01T09:00:00Z', until: '2026-12-08T09:00:00Z' },
    },
    ramp: {
      enabled: true,
      rules: [{ serve: { rollout: { from: 0, to: 100, start: '2026-12-01T09:00:00Z', end: '2026-12-11T09:00:00Z' } } }],
    },
    color: {
      enabled: true,
      variants: { control: 'blue', treatment: 'green' },
      offVariant: 'control',
      rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'treatment' }],
    },
    limits: { enabled: true, variants: { small: { max: 10 }, big: { max: 100 } }, offVariant: 'small', rules: [{ serve: 'big' }] },
  },
}

const at = (now: number) => createClient({ bootstrap: config, now: () => now })

describe('evaluate', () => {
  it('serves a fixed variant to everyone with reason STATIC', () => {
    expect(at(T0).explain('everyone')).toEqual({
      key: 'everyone', value: true, variant: 'on', reason: 'STATIC', ruleIndex: 0, bucket: -1, revision: 'r1',
    })
  })

  it('kill switch: enabled:false serves the off variant to everyone, whatever the rules', () => {
    const c = at(T0)
    expect(c.explain('killed')).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED', ruleIndex: -1 })
    expect(c.forContext({ userId: 'x', email: 'a@example.com' }).isEnabled('killed')).toBe(false)
  })

  it('serves the off variant with reason DEFAULT when no rule serves', () => {
    expect(at(T0).explain('no-rules')).toMatchObject({ value: false, variant: 'off', reason: 'DEFAULT' })
  })

  it('is off before schedule.from and from schedule.until on', () => {
    expect(at(T0 - 1).explain('scheduled')).toMatchObject({ value: false, reason: 'DISABLED' })
    expect(at(T0).isEnabled('scheduled')).toBe(true)
    expect(at(T0 + 7 * DAY - 1).isEnabled('scheduled')).toBe(true)
    expect(at(T0 + 7 * DAY).isEnabled('scheduled')).toBe(false)
  })

  it('grows a ramp linearly with the clock, and users only join', () => {
    const users = Array.from({ length: 4000 }, (_, i) => `u${i}`)
    let previous = new Set<string>()
    for (const day of [0, 1, 2.5, 5, 9.99, 10, 11]) {
      const c = at(T0 + day * DAY)
      const on = new Set(users.filter((userId) => c.forContext({ userId }).isEnabled('ramp')))
      for (const u of previous) expect(on.has(u)).toBe(true)
      const expected = Math.min(1, day / 10)
      expect(Math.abs(on.size / users.length - expected)).toBeLessThan(0.03)
      previous = on
    }
  })

  it('evaluates prerequisites first', () => {
    const c = at(T0)
    expect(c.forContext({ email: 'a@example.com', country: 'US' }).explain('new-checkout')).toMatchObject({ value: true, reason: 'TARGETING_MATCH', ruleIndex: 0 })
    expect(c.forContext({ email: 'a@example.com', country: 'FR' }).explain('new-checkout')).toMatchObject({ value: false, reason: 'DISABLED' })
  })

  it('reports the rollout bucket and reason SPLIT for a unit in the rollout', () => {
    const c = at(T0)
    const users = Array.from({ length: 200 }, (_, i) => c.forContext({ userId: `u${i}`, country: 'US' }).explain('new-checkout'))
    const inside = users.filter((e) => e.value === true)
    expect(inside.length).toBeGreaterThan(20)
    for (const e of inside) expect(e).toMatchObject({ reason: 'SPLIT', ruleIndex: 1 })
    for (const e of inside) expect(e.bucket).toBeLessThan(2500)
    for (const e of users.filter((x) => x.value === false)) expect(e.bucket).toBeGreaterThanOrEqual(2500)
  })

  it('answers isEnabled for multi-variant flags as "not the off variant"', () => {
    const c = at(T0)
    expect(c.forContext({ plan: 'pro' }).isEnabled('color')).toBe(true)
    expect(c.forContext({ plan: 'free' }).isEnabled('color')).toBe(false)
    expect(c.forContext({ plan: 'pro' }).variant('color')).toEqual({ name: 'treatment', value: 'green' })
  })

  it('returns typed values and the fallback with TYPE_MISMATCH when types differ', () => {
    const c = at(T0)
    expect(c.value('limits', { max: 1 })).toEqual({ max: 100 })
    expect(c.value('color', 'red')).toBe('blue')
    expect(c.value('color', 42)).toBe(42)
    expect(c.explain('color').reason).toBe('DEFAULT')
    expect(c.value('everyone', 'no')).toBe('no')
  })

  it('returns defaults with FLAG_NOT_FOUND for unknown keys', () => {
    const c = createClient({ bootstrap: config, defaults: { missing: true, other: 'x' } })
    expect(c.isEnabled('missing')).toBe(true)
    expect(c.isEnabled('absent')).toBe(false)
    expect(c.value('other', 'fallback')).toBe('x') // defaults before the fallback (issue #10)
    expect(c.value('absent', 'fallback')).toBe('fallback')
    expect(c.explain('absent')).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', value: undefined })
  })

  it('applies overrides by variant name (and ignores unknown variants)', () => {
    const c = createClient({ bootstrap: config, overrides: { killed: 'on', color: 'treatment', everyone: 'nope' } })
    expect(c.explain('killed')).toMatchObject({ value: true, reason: 'STATIC' })
    expect(c.value('color', '')).toBe('green')
    expect(c.isEnabled('everyone')).toBe(true)
  })

  it('keeps keys such as __proto__ and constructor inert', () => {
    const raw = '{"schemaVersion":1,"flags":{"__proto__":{"enabled":true,"rules":[{"serve":"on"}]},"constructor":{"enabled":false}}}'
    const c = createClient({ bootstrap: JSON.parse(raw) as Config })
    expect(c.isEnabled('__proto__')).toBe(true)
    expect(c.isEnabled('constructor')).toBe(false)
    expect(c.explain('toString')).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' })
    expect(({} as Record<string, unknown>).enabled).toBeUndefined()
    expect(Object.keys(c.snapshot().flags)).toEqual(['__proto__', 'constructor'])
    expect(c.snapshot().flags['__proto__']).toMatchObject({ variant: 'on', value: true, enabled: true })
  })
})
