import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createClient, isFlagstageError, validateConfig, type Condition, type Config, type FlagConfig } from 'flagstage'

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
  it('never throws from evaluation, over random valid configs and random contexts', () => {
    fc.assert(
      fc.property(validConfig, fc.array(context, { minLength: 1, maxLength: 5 }), (config, contexts) => {
        // segments may reference themselves through the random condition: that must be a validation error, not a crash
        let valid = true
        try {
          validateConfig(config)
        } catch (error) {
          expect(isFlagstageError(error)).toBe(true)
          valid = false
        }
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

  it('is monotone: a unit in a p% rollout is in at every q > p', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1 }), percent, percent, (unit, salt, p, q) => {
        const [lo, hi] = p <= q ? [p, q] : [q, p]
        const make = (r: number) => createClient({ bootstrap: { schemaVersion: 1, flags: { f: { enabled: true, salt, rules: [{ serve: { rollout: r } }] } } } })
        if (make(lo).forContext({ userId: unit }).isEnabled('f')) expect(make(hi).forContext({ userId: unit }).isEnabled('f')).toBe(true)
      }),
      { numRuns: 2000 },
    )
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
})
