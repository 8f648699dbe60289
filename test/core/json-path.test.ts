// json-path.ts edges beyond test/core/validate.test.ts (formatPath, describeValue, expectedOneOf): what
// counts as an identifier key, where values are cut, and the 20-choice limit.
import { describe, expect, it } from 'vitest'
import { describeValue, expectedOneOf, formatPath } from '../../src/core/json-path.ts'

describe('formatPath', () => {
  it('writes identifier keys (letters, digits after the first, _ and $) with dots', () => {
    expect(formatPath(['flags', 'a1', '_x', '$ref', 'B_2$'])).toBe('flags.a1._x.$ref.B_2$')
    expect(formatPath(['rules', 0, 'if', 'all', 12, 'op'])).toBe('rules[0].if.all[12].op')
  })

  it('brackets and quotes every other key, wherever it is in the path', () => {
    expect(formatPath(['flags', 'a-b', 'x'])).toBe('flags["a-b"].x')
    expect(formatPath(['1a'])).toBe('["1a"]')
    expect(formatPath(['a b', ''])).toBe('["a b"][""]')
    expect(formatPath(['x', 'é'])).toBe('x["é"]')
    expect(formatPath(['x', 'a.b'])).toBe('x["a.b"]')
    expect(formatPath(['x', '0'])).toBe('x["0"]')
    expect(formatPath([0, 'x'])).toBe('[0].x')
  })
})

describe('describeValue', () => {
  it('quotes strings up to 40 characters whole, and cuts longer ones at 40', () => {
    expect(describeValue('x'.repeat(40))).toBe(JSON.stringify('x'.repeat(40)))
    expect(describeValue('y'.repeat(41))).toBe(`"${'y'.repeat(40)}…"`)
    expect(describeValue('')).toBe('""')
    expect(describeValue('say "hi"')).toBe('"say \\"hi\\""')
  })

  it('writes numbers, booleans and other values as text, cut at 40 characters', () => {
    expect([0, -1.5, Number.NaN, Number.POSITIVE_INFINITY, false].map(describeValue)).toEqual(['0', '-1.5', 'NaN', 'Infinity', 'false'])
    const fn = function aFunctionWhoseSourceIsLongerThanForty() { return 1 }
    expect(describeValue(fn)).toBe(String(fn).slice(0, 40))
    expect(describeValue(fn)).toHaveLength(40)
  })

  it('describes objects and arrays by kind, not content', () => {
    expect(describeValue({ a: 1 })).toBe('an object')
    expect(describeValue(Object.create(null))).toBe('an object')
    expect(describeValue([[]])).toBe('an array')
    expect(describeValue([])).toBe('an empty array')
    expect(describeValue(null)).toBe('null')
  })
})

describe('expectedOneOf', () => {
  it('lists exactly 20 choices whole, and cuts after 20', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `v${i}`)
    expect(expectedOneOf(twenty)).toBe(`one of ${twenty.join(', ')}`)
    expect(expectedOneOf([...twenty, 'v20'])).toBe(`one of ${twenty.join(', ')}, ...`)
    expect(expectedOneOf(['only'])).toBe('one of only')
  })
})
