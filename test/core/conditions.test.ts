import { describe, expect, it } from 'vitest'
import { createClient, type AttrCondition, type Condition, type Config, type Context } from 'flagstage'
import { inCidrOperator, matchesOperator, registerOperators } from 'flagstage'
// matches and inCidr are opt-in operators (test/core/operators.test.ts: configs that use them unregistered).
registerOperators(matchesOperator, inCidrOperator)

/** Evaluate one condition through a real client: a flag serving `on` when it matches. */
const matches = (condition: Condition, context: Context, segments?: Config['segments']): boolean => {
  const config: Config = { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ if: condition, serve: 'on' }] } } }
  if (segments) config.segments = segments
  return createClient({ bootstrap: config }).forContext(context).isEnabled('f')
}
const attr = (op: AttrCondition['op'], extra: Partial<AttrCondition> = {}, name = 'a'): AttrCondition => ({ attr: name, op, ...extra })

describe('conditions', () => {
  it.each([
    ['in', { values: ['US', 'CA'] }, 'CA', true],
    ['in', { values: ['US', 'CA'] }, 'GB', false],
    ['in', { values: [1, 2] }, 2, true],
    ['in', { values: ['US'], caseInsensitive: true }, 'us', true],
    ['in', { values: ['US'] }, 'us', false],
    ['notIn', { values: ['US'] }, 'GB', true],
    ['notIn', { values: ['US'] }, 'US', false],
    ['eq', { value: 'pro' }, 'pro', true],
    ['eq', { value: 5 }, '5', true],
    ['eq', { value: true }, true, true],
    ['neq', { value: 'pro' }, 'free', true],
    ['neq', { value: 'pro' }, 'pro', false],
    ['contains', { value: 'exam' }, 'example.com', true],
    ['contains', { value: 'EXAM', caseInsensitive: true }, 'example.com', true],
    ['startsWith', { value: 'ab' }, 'abc', true],
    ['startsWith', { value: 'bc' }, 'abc', false],
    ['endsWith', { value: '@example.com' }, 'jo@example.com', true],
    ['endsWith', { value: '@EXAMPLE.com', caseInsensitive: true }, 'jo@example.COM', true],
    ['matches', { value: '^u-\\d+$' }, 'u-42', true],
    ['matches', { value: '^u-\\d+$' }, 'x-42', false],
    ['matches', { value: '^U-', caseInsensitive: true }, 'u-1', true],
    ['lt', { value: 10 }, 9, true],
    ['lt', { value: 10 }, 10, false],
    ['lte', { value: 10 }, 10, true],
    ['gt', { value: 10 }, '11', true],
    ['gte', { value: 10 }, 9.99, false],
    ['before', { value: '2026-12-01T00:00:00Z' }, '2026-11-30T23:59:59Z', true],
    ['before', { value: '2026-12-01T00:00:00Z' }, Date.parse('2026-12-02T00:00:00Z'), false],
    ['after', { value: '2026-12-01T00:00:00Z' }, '2026-12-01T00:00:01Z', true],
    ['semverEq', { value: '1.2.3' }, 'v1.2.3', true],
    ['semverLt', { value: '1.10.0' }, '1.9.9', true],
    ['semverLt', { value: '1.0.0' }, '1.0.0-beta.2', true],
    ['semverLte', { value: '1.0.0' }, '1.0.0', true],
    ['semverGt', { value: '2.0.0' }, '10.0.0', true],
    ['semverGte', { value: '2.0.0' }, '1.99.99', false],
    ['exists', {}, 'anything', true],
    ['exists', {}, 0, true],
  ] as const)('%s %j against %j is %s', (op, extra, value, expected) => {
    expect(matches(attr(op, extra as Partial<AttrCondition>), { a: value })).toBe(expected)
  })

  it.each(['in', 'notIn', 'eq', 'neq', 'contains', 'startsWith', 'endsWith', 'matches', 'lt', 'gte', 'before', 'after', 'semverEq', 'semverLt', 'exists'] as const)(
    'never matches a missing attribute with %s',
    (op) => {
      const extra: Partial<AttrCondition> =
        op === 'in' || op === 'notIn' ? { values: ['x'] }
          : op === 'lt' || op === 'gte' ? { value: 1 }
            : op === 'before' || op === 'after' ? { value: '2026-01-01' }
              : op.startsWith('semver') ? { value: '1.0.0' }
                : op === 'exists' ? {} : { value: 'x' }
      expect(matches(attr(op, extra), {})).toBe(false)
      expect(matches(attr(op, extra), { a: null })).toBe(false)
    },
  )

  it('does not throw on values of the wrong type: they just do not match', () => {
    expect(matches(attr('lt', { value: 10 }), { a: 'ten' })).toBe(false)
    expect(matches(attr('semverGt', { value: '1.0.0' }), { a: 42 })).toBe(false)
    expect(matches(attr('before', { value: '2026-01-01' }), { a: {} })).toBe(false)
    expect(matches(attr('startsWith', { value: 'a' }), { a: { toString: () => 'abc' } })).toBe(false)
    expect(matches(attr('matches', { value: 'x' }), { a: ['x'] })).toBe(true)
  })

  it('matches list attributes when any element matches (and notIn when none does)', () => {
    expect(matches(attr('in', { values: ['admin'] }), { a: ['dev', 'admin'] })).toBe(true)
    expect(matches(attr('notIn', { values: ['admin'] }), { a: ['dev', 'admin'] })).toBe(false)
    expect(matches(attr('notIn', { values: ['admin'] }), { a: ['dev'] })).toBe(true)
    expect(matches(attr('notIn', { values: ['admin'] }), { a: [] })).toBe(false)
  })

  it('expresses "must be absent" as not + exists', () => {
    expect(matches({ not: attr('exists') }, {})).toBe(true)
    expect(matches({ not: attr('exists') }, { a: 1 })).toBe(false)
  })

  it('combines with all / any / not', () => {
    const c: Condition = {
      all: [
        { any: [attr('in', { values: ['US', 'CA', 'GB'] }, 'country'), attr('eq', { value: true }, 'staff')] },
        { not: attr('eq', { value: 'free' }, 'plan') },
      ],
    }
    expect(matches(c, { country: 'US', plan: 'pro' })).toBe(true)
    expect(matches(c, { country: 'FR', staff: true, plan: 'pro' })).toBe(true)
    expect(matches(c, { country: 'US', plan: 'free' })).toBe(false)
    expect(matches(c, { country: 'FR', plan: 'pro' })).toBe(false)
  })

  it('resolves segments, also segments that reference segments declared later', () => {
    const segments: Config['segments'] = {
      beta: { any: [{ segment: 'staff' }, attr('endsWith', { value: '@example.com' }, 'email')] },
      staff: attr('eq', { value: true }, 'staff'),
    }
    expect(matches({ segment: 'beta' }, { email: 'a@example.com' }, segments)).toBe(true)
    expect(matches({ segment: 'beta' }, { staff: true }, segments)).toBe(true)
    expect(matches({ segment: 'beta' }, { email: 'a@else.com' }, segments)).toBe(false)
  })

  it('reads attributes named like Object.prototype members only as own keys', () => {
    expect(matches(attr('exists', {}, 'constructor'), {})).toBe(false)
    expect(matches(attr('exists', {}, '__proto__'), {})).toBe(false)
    expect(matches(attr('eq', { value: 'x' }, 'toString'), { toString: 'x' } as Context)).toBe(true)
    const ctx = JSON.parse('{"__proto__": "admin"}') as Context
    expect(matches(attr('eq', { value: 'admin' }, '__proto__'), ctx)).toBe(true)
  })
})
