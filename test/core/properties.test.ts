import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'
import fc from 'fast-check'
import { createClient, isFlagstageError, validateConfig, type Condition, type Config, type FlagConfig } from 'flagstage'
import { inCidrOperator, matchesOperator, registerOperators } from 'flagstage'
// matches and inCidr are opt-in operators (test/core/operators.test.ts: configs that use them unregistered).
registerOperators(matchesOperator, inCidrOperator)

const attrs = ['country', 'plan', 'age', 'email', 'version', 'roles', 'joined', '__proto__', 'constructor']
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 100 }), fc.boolean(), fc.constantFrom('1.2.3', '2026-12-01T00:00:00Z', 'US'))

const attrCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('in' as const, 'notIn' as const), values: fc.array(scalar, { maxLength: 4 }) }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('eq' as const, 'neq' as const, 'contains' as const, 'startsWith' as const, 'endsWith' as const), value: scalar }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('lt' as const, 'gte' as const), value: fc.integer() }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom('semverLt' as const, 'semverGte' as const), value: fc.constantFrom('1.0.0', '2.3.4-beta.1') }),
  fc.record({ attr: fc.constantFrom(...attrs), op: fc.constant('matches' as const), value: fc.constantFrom('^a', 'b+$', '(x|y)') }),
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

const percent = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100)
const serve = fc.oneof(
  fc.constantFrom('on', 'off'),
  fc.record({ rollout: percent }, { requiredKeys: ['rollout'] }),
  fc.record({ rollout: percent, by: fc.constantFrom('userId', 'orgId') }),
  fc.constant({ split: { on: 50, off: 50 } }),
)
const flag: fc.Arbitrary<FlagConfig> = fc.record({
  enabled: fc.boolean(),
  rules: fc.array(fc.record({ if: condition, serve }, { requiredKeys: ['serve'] }), { maxLength: 4 }),
})
const validConfig: fc.Arbitrary<Config> = fc
  .record({ flags: fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__', 'hasOwnProperty'), flag, { minKeys: 1 }), seg: attrCondition })
  .map(({ flags, seg }) => ({ schemaVersion: 1 as const, revision: 'r', segments: { seg }, flags }))

const context = fc.dictionary(
  fc.constantFrom('userId', 'sessionId', 'orgId', ...attrs),
  fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 3 }), fc.object({ maxDepth: 1 }), fc.double()),
)

describe('properties', () => {
  it('never throws from evaluation, over random valid configs and random contexts', SLOW, () => {
    fc.assert(
      fc.property(validConfig, fc.array(context, { minLength: 1, maxLength: 5 }), (config, contexts) => {
        // The generator only writes valid configs (the segment holds no segment reference): the validator must agree.
        expect(() => validateConfig(config)).not.toThrow()
        const valid = true
        const client = createClient({ bootstrap: config })
        for (const ctx of contexts) {
          const e = client.forContext(ctx)
          for (const key of ['a', 'b', 'c', '__proto__', 'hasOwnProperty', 'missing']) {
            expect(typeof e.isEnabled(key)).toBe('boolean')
            e.variant(key)
            e.value(key, 'x')
            const x = e.explain(key)
            if (valid && key in config.flags && Object.prototype.hasOwnProperty.call(config.flags, key)) expect(x.reason).not.toBe('ERROR')
          }
        }
        client.close()
      }),
      { numRuns: 300 },
    )
  })

  // Invalid mutants of a valid config: each breaks one rule of the schema; the validator must reject
  // every one with INVALID_CONFIG (a validator that accepts everything fails here, unlike the property below).
  const loose = (x: unknown): Record<string, unknown> => x as Record<string, unknown>
  const mutants: [string, (config: Config, key: string) => void][] = [
    ['enabled is not a boolean', (c, k) => void (loose(c.flags[k]).enabled = 'yes')],
    ['enabled is missing', (c, k) => void delete (c.flags[k] as Partial<FlagConfig>).enabled],
    ['a flag has an unknown key', (c, k) => void (loose(c.flags[k]).enable = true)],
    ['the root has an unknown key', (c) => void (loose(c).flag = {})],
    ['schemaVersion is 2', (c) => void (loose(c).schemaVersion = 2)],
    ['a rollout is above 100', (c, k) => void (c.flags[k]!.rules = [{ serve: { rollout: 100.01 } }])],
    ['a rollout is negative', (c, k) => void (c.flags[k]!.rules = [{ serve: { rollout: -0.01 } }])],
    ['a rollout has three decimals', (c, k) => void (c.flags[k]!.rules = [{ serve: { rollout: 12.345 } }])],
    ['a rule serves an unknown variant', (c, k) => void (c.flags[k]!.rules = [{ serve: 'purple' }])],
    ['a split does not sum to 100', (c, k) => void (c.flags[k]!.rules = [{ serve: { split: { on: 50, off: 49 } } }])],
    ['a rule has no serve', (c, k) => void (c.flags[k]!.rules = [{ if: { attr: 'plan', op: 'exists' } } as never])],
    ['a condition has an unknown operator', (c, k) => void (c.flags[k]!.rules = [{ if: { attr: 'plan', op: 'like', value: 'x' } as never, serve: 'on' }])],
    ['a condition names an unknown segment', (c, k) => void (c.flags[k]!.rules = [{ if: { segment: 'nope' }, serve: 'on' }])],
    ['a flag requires an unknown flag', (c, k) => void (c.flags[k]!.requires = [{ flag: 'no-such-flag' }])],
    ['a flag requires itself', (c, k) => void (c.flags[k]!.requires = [{ flag: k }])],
    ['the segment is not a condition', (c) => void (c.segments = { seg: 42 as never })],
    ['flags is an array', (c) => void (loose(c).flags = [])],
  ]

  it('rejects every invalid mutant of a valid config with INVALID_CONFIG', () => {
    const rejected = new Map(mutants.map(([name]) => [name, 0]))
    fc.assert(
      fc.property(validConfig, fc.constantFrom(...mutants), fc.nat(), (config, [name, mutate], pick) => {
        expect(() => validateConfig(config)).not.toThrow()
        const mutant = structuredClone(config)
        const keys = Object.keys(mutant.flags)
        mutate(mutant, keys[pick % keys.length]!)
        let error: unknown
        try {
          validateConfig(mutant)
        } catch (caught) {
          error = caught
        }
        expect(isFlagstageError(error), `${name} was accepted`).toBe(true)
        expect((error as { code: string }).code).toBe('INVALID_CONFIG')
        rejected.set(name, rejected.get(name)! + 1)
      }),
      { numRuns: 500 },
    )
    for (const [name, n] of rejected) expect(n, `mutant "${name}" never generated`).toBeGreaterThan(0)
  })

  it('rejects arbitrary JSON with a FlagstageError (or accepts it), never another exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ schemaVersion: fc.constant(1), flags: fc.jsonValue() })), (doc) => {
        try {
          validateConfig(doc)
        } catch (error) {
          expect(isFlagstageError(error)).toBe(true)
          expect((error as { code: string }).code).toBe('INVALID_CONFIG')
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('is monotone: a unit in a p% rollout is in at every q > p (and the rollout lets some in, keeps some out)', () => {
    const seen = { inAtLo: 0, outAtHi: 0, joinedBetween: 0 }
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1 }), percent, percent, (unit, salt, p, q) => {
        const [lo, hi] = p <= q ? [p, q] : [q, p]
        const make = (r: number) => createClient({ bootstrap: { schemaVersion: 1, flags: { f: { enabled: true, salt, rules: [{ serve: { rollout: r } }] } } } })
        const atLo = make(lo).forContext({ userId: unit }).isEnabled('f')
        const atHi = make(hi).forContext({ userId: unit }).isEnabled('f')
        if (atLo) expect(atHi).toBe(true)
        if (atLo) seen.inAtLo++
        if (!atHi) seen.outAtHi++
        if (!atLo && atHi) seen.joinedBetween++
      }),
      { numRuns: 2000 },
    )
    // "Always off" or "always on" would pass the implication above; the rollout must actually split.
    // Over 2000 random (p, q) pairs each count is in the hundreds; 100 is far below any plausible run.
    expect(seen.inAtLo).toBeGreaterThan(100)
    expect(seen.outAtHi).toBeGreaterThan(100)
    expect(seen.joinedBetween).toBeGreaterThan(100)
  })

  it('is deterministic: the same unit gets the same answer from separate clients', () => {
    fc.assert(
      fc.property(validConfig, context, (config, ctx) => {
        const a = createClient({ bootstrap: config }).forContext(ctx).snapshot()
        const b = createClient({ bootstrap: structuredClone(config) }).forContext(structuredClone(ctx)).snapshot()
        expect(a).toEqual(b)
      }),
      { numRuns: 200 },
    )
  })

  it('is deterministic per unit, not constant: two clients agree for every unit, and units get different answers', () => {
    const answers = { on: 0, off: 0 }
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 100, max: 9_900 }).map((n) => n / 100), fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 20, maxLength: 20 }), (salt, p, units) => {
        const config: Config = { schemaVersion: 1, flags: { f: { enabled: true, salt, rules: [{ serve: { rollout: p } }] } } }
        const a = createClient({ bootstrap: config })
        const b = createClient({ bootstrap: structuredClone(config) })
        for (const userId of units) {
          const on = a.forContext({ userId }).isEnabled('f')
          expect(b.forContext({ userId }).isEnabled('f')).toBe(on)
          answers[on ? 'on' : 'off']++
        }
      }),
      { numRuns: 200 },
    )
    // 4000 answers at rollouts between 1% and 99%: an evaluator that ignores the unit, or never changes
    // its answer, cannot produce both in these numbers.
    expect(answers.on).toBeGreaterThan(400)
    expect(answers.off).toBeGreaterThan(400)
  })
})
