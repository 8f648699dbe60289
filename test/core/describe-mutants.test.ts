// describeFlag() details that surviving mutants of describe.ts (rest group of npm run mutation:core) showed
// untested: a client with no config yet, keys present only when they mean something, schedule boundaries,
// an override that names no variant, rules an override or an earlier rule leaves unreached, pins on splits.
import { describe, expect, it } from 'vitest'
import { createClient, describeFlag, variantBucketOf, type Condition, type ConditionDescription, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const FROM = Date.parse('2030-01-01T00:00:00Z')
const UNTIL = Date.parse('2030-02-01T00:00:00Z')
const config: Config = {
  schemaVersion: 1,
  revision: 'r1',
  flags: {
    timed: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: new Date(FROM).toISOString(), until: new Date(UNTIL).toISOString() } },
    exp: {
      enabled: true, variants: { a: 'A', b: 'B', none: 'N' }, offVariant: 'none', salt: 'exp',
      rules: [
        { if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'b' },
        { serve: { split: { a: 50, b: 50 } } },
        { serve: { rollout: 50, variant: 'b' } },
        { serve: 'a' },
      ],
    },
    quiet: { enabled: true, variants: { x: 1, y: 2 }, offVariant: null, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'y' }] },
  },
}

describe('describeFlag() details', () => {
  it('describes a flag of a client that has no config yet as not found, not ready', () => {
    const m = manualSource()
    const client = createClient({ source: m.source })
    const d = describeFlag(client, 'timed')
    expect(d).toMatchObject({
      key: 'timed', found: false, decidedBy: 'not-found', reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', revision: undefined,
      enabled: false, offVariant: 'off', rules: [], requires: [],
    })
    client.close()
  })

  it('leaves errorCode and override out when nothing failed and nothing was forced', () => {
    const d = describeFlag(config, 'exp', { plan: 'pro' })
    expect(d).toMatchObject({ decidedBy: 'rule', variant: 'b', offVariant: 'none', enabled: true })
    expect(Object.keys(d)).not.toContain('errorCode')
    expect(Object.keys(d)).not.toContain('override')
    expect(Object.keys(d)).not.toContain('schedule')
  })

  it('is active from the first millisecond of a schedule, and after it from its until', () => {
    const at = (now: number) => describeFlag(config, 'timed', {}, { now })
    expect([FROM - 1, FROM, UNTIL - 1, UNTIL].map((now) => [at(now).schedule!.state, at(now).decidedBy, at(now).value])).toEqual([
      ['before', 'schedule', false], ['active', 'rule', true], ['active', 'rule', true], ['after', 'schedule', false],
    ])
    expect(at(FROM).at).toBe(FROM)
  })

  it('ignores an override naming no variant of the flag, and leaves every rule unreached under one that does', () => {
    const unknown = describeFlag(config, 'exp', { plan: 'pro' }, { overrides: { exp: 'nope' } })
    expect(unknown).toMatchObject({ decidedBy: 'rule', variant: 'b' })
    expect(Object.keys(unknown)).not.toContain('override')
    const forced = describeFlag(config, 'exp', { plan: 'pro', userId: 'u' }, { overrides: { exp: 'a' } })
    expect(forced).toMatchObject({ decidedBy: 'override', override: 'a', variant: 'a', value: 'A' })
    expect(forced.rules.map((r) => r.outcome)).toEqual(['not-reached', 'not-reached', 'not-reached', 'not-reached'])
  })

  it('names the variant of every rule that serves one, reached or not, and of a split only once it picks', () => {
    const d = describeFlag(config, 'exp', { plan: 'pro', userId: 'u-1' })
    expect(d.rules.map((r) => [r.outcome, r.variant])).toEqual([['served', 'b'], ['not-reached', undefined], ['not-reached', 'b'], ['not-reached', 'a']])
    expect(d.rules.slice(1).every((r) => r.bucket === undefined && r.unit === undefined && r.ranges === undefined)).toBe(true)
    const split = describeFlag(config, 'exp', { userId: 'u-1' })
    const b = variantBucketOf('exp', 'u-1')
    expect(split.rules[1]).toMatchObject({ outcome: 'served', unit: 'u-1', bucket: b, variant: b < 5000 ? 'a' : 'b' })
  })

  it('moves the bucket of a split with a pin, as evaluation does', () => {
    for (const [pin, variant] of [[0, 'a'], [4999, 'a'], [5000, 'b'], [9999, 'b']] as const) {
      const d = describeFlag(config, 'exp', { userId: 'u-1' }, { buckets: { exp: pin } })
      expect(d.rules[1]).toMatchObject({ outcome: 'served', bucket: pin, variant })
      expect(d).toMatchObject({ variant, bucket: pin, reason: 'SPLIT', ruleIndex: 1 })
    }
  })

  it('gives the bucket a serve with its own bucketing maps to, for a rollout and for the split of its then', () => {
    const mapped: Config = {
      schemaVersion: 1,
      flags: {
        r: { enabled: true, rules: [{ serve: { rollout: 50, hash: { map: 'scale', buckets: 1000 } } }] },
        t: {
          enabled: true, variants: { a: 1, b: 2, off: 0 }, offVariant: 'off',
          rules: [{ serve: { rollout: 100, hash: { map: 'scale', seed: 3 }, then: { split: { a: 1, b: 1 }, by: 'sessionId', hash: { map: 'scale', buckets: 100 } } } }],
        },
      },
    }
    const client = createClient({ bootstrap: mapped })
    for (const userId of ['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6']) {
      const r = describeFlag(mapped, 'r', { userId })
      const x = client.forContext({ userId }).explain('r')
      expect(r.rules[0]!.bucket).toBe(x.bucket)
      expect(r.rules[0]!.bucket).toBeLessThan(1000)
      const t = describeFlag(mapped, 't', { userId, sessionId: `s-${userId}` })
      expect(t.rules[0]!.then!.bucket).toBeLessThan(100)
      expect(t.rules[0]!.then!.variant).toBe(t.variant)
      expect(t.rules[0]!.then!.bucket! < 50 ? 'a' : 'b').toBe(t.variant)
    }
    client.close()
  })

  it('cuts a condition description 64 levels down (segments and nesting together may go deeper), its answer still whole', () => {
    // Four segments, each 31 levels of not: 4 × 32 levels, within the validator's limits.
    const nots = (c: Condition, n: number): Condition => (n ? { not: nots(c, n - 1) } : c)
    const segments: NonNullable<Config['segments']> = { s0: nots({ attr: 'plan', op: 'eq', value: 'pro' }, 30) }
    for (let i = 1; i < 4; i++) segments[`s${i}`] = nots({ segment: `s${i - 1}` }, 30)
    const deep: Config = { schemaVersion: 1, segments, flags: { f: { enabled: true, rules: [{ if: { segment: 's3' }, serve: 'on' }] } } }
    const levels = (d: ConditionDescription): number => 1 + Math.max(0, ...(d.parts ?? []).map(levels))
    const d = describeFlag(deep, 'f', { plan: 'pro' })
    expect(levels(d.rules[0]!.if!)).toBe(66) // depths 0 to 65, the last one without its parts
    expect(d.rules[0]!.if!.passed).toBe(true)
    expect(d).toMatchObject({ value: true, decidedBy: 'rule' })
  })

  it('describes a flag with offVariant null: no off variant, the default when no rule serves', () => {
    expect(describeFlag(config, 'quiet', {})).toMatchObject({ decidedBy: 'no-rule', offVariant: '', variant: undefined, value: undefined, reason: 'DEFAULT' })
    expect(describeFlag(config, 'quiet', { plan: 'pro' })).toMatchObject({ decidedBy: 'rule', offVariant: '', variant: 'y', value: 2 })
  })
})
