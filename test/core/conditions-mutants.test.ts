// Operator edges that surviving mutants of conditions.ts and rollout.ts showed untested (npm run
// mutation:core): every ordered operator at equality, and how attributes that are not plain scalars read.
import { describe, expect, it } from 'vitest'
import { createClient, type Condition, type Config, type Context } from 'flagstage'

/** Whether `condition` matches `context`, and the reason explain() gives (never ERROR). */
const match = (condition: Condition, context: Record<string, unknown>): boolean => {
  const config: Config = { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ if: condition, serve: 'on' }] } } }
  const x = createClient({ bootstrap: config }).forContext(context).explain('f')
  expect(x.errorCode).toBeUndefined()
  return x.value === true
}

describe('ordered operators below, at and above their operand', () => {
  const cases: [op: string, operand: number | string, below: unknown, at: unknown, above: unknown, expected: [boolean, boolean, boolean]][] = [
    ['lt', 10, 9, 10, 11, [true, false, false]],
    ['lte', 10, 9, '10', 11, [true, true, false]],
    ['gt', 10, 9, 10, '11', [false, false, true]],
    ['gte', 10, '9', 10, 11, [false, true, true]],
    ['before', '2030-01-01T00:00:00Z', '2029-12-31T23:59:59Z', Date.parse('2030-01-01T00:00:00Z'), '2030-01-01T00:00:01Z', [true, false, false]],
    ['after', '2030-01-01T00:00:00Z', Date.parse('2029-12-31T23:59:59Z'), '2030-01-01T00:00:00Z', Date.parse('2030-01-01T00:00:01Z'), [false, false, true]],
    ['semverEq', '1.2.3', '1.2.2', '1.2.3', '1.2.4', [false, true, false]],
    ['semverLt', '1.2.3', '1.2.3-rc.1', '1.2.3', '1.10.0', [true, false, false]],
    ['semverLte', '1.2.3', '0.9.9', '1.2.3', '2.0.0', [true, true, false]],
    ['semverGt', '1.2.3', '1.2.2', '1.2.3', '1.3.0', [false, false, true]],
    ['semverGte', '1.2.3', '1.1.9', '1.2.3', '1.2.10', [false, true, true]],
  ]
  it.each(cases)('%s %j', (op, value, below, at, above, expected) => {
    expect([below, at, above].map((v) => match({ attr: 'x', op, value } as Condition, { x: v }))).toEqual(expected)
  })
})

describe('attributes that are not plain scalars', () => {
  it('non-finite numbers are not text: Infinity and NaN match no "eq"', () => {
    expect(match({ attr: 'x', op: 'eq', value: 'Infinity' }, { x: Infinity })).toBe(false)
    expect(match({ attr: 'x', op: 'in', values: ['NaN'] }, { x: NaN })).toBe(false)
    expect(match({ attr: 'x', op: 'eq', value: 'true' }, { x: true })).toBe(true)
  })

  it('an object, an array of objects or a boolean never matches a text or number operator, and is no error', () => {
    expect(match({ attr: 'x', op: 'eq', value: 'a', caseInsensitive: true }, { x: { a: 1 } })).toBe(false)
    expect(match({ attr: 'x', op: 'startsWith', value: 'a', caseInsensitive: true }, { x: [{}] })).toBe(false)
    expect(match({ attr: 'x', op: 'gt', value: 0 }, { x: true })).toBe(false)
    expect(match({ attr: 'x', op: 'before', value: 4102444800000 }, { x: true })).toBe(false)
  })

  it('a blank string is not the number 0', () => {
    for (const x of ['', ' ', '\t\n']) {
      expect(match({ attr: 'x', op: 'lt', value: 1 }, { x })).toBe(false)
      expect(match({ attr: 'x', op: 'gte', value: 0 }, { x })).toBe(false)
    }
    expect(match({ attr: 'x', op: 'lt', value: 1 }, { x: ' 0 ' })).toBe(true)
  })

  it('caseInsensitive compares lower-cased text (so "ß" is not "SS")', () => {
    expect(match({ attr: 'x', op: 'eq', value: 'Straße', caseInsensitive: true }, { x: 'STRAßE' })).toBe(true)
    expect(match({ attr: 'x', op: 'eq', value: 'strasse', caseInsensitive: true }, { x: 'STRAßE' })).toBe(false)
  })
})

describe('stickiness reads strings and finite numbers only', () => {
  it('a boolean, an object or NaN as userId is no unit: the next attribute is used', () => {
    const config: Config = { schemaVersion: 1, flags: { r: { enabled: true, rules: [{ serve: { rollout: 50 } }] } } }
    const c = createClient({ bootstrap: config })
    const bySession = c.forContext({ sessionId: 's-1' }).explain('r').bucket
    for (const userId of [true, { id: 1 }, NaN] as unknown[]) expect(c.forContext({ userId, sessionId: 's-1' } as Context).explain('r').bucket).toBe(bySession)
    expect(c.forContext({ userId: 42 }).explain('r').bucket).toBe(c.forContext({ userId: '42' }).explain('r').bucket)
  })
})
