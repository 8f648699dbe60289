import { describe, expect, it } from 'vitest'
import { mergePatch } from '../../src/sources/merge-patch.ts'

// RFC 7396 appendix A.
const vectors: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
]

describe('mergePatch()', () => {
  it.each(vectors)('applies the RFC 7396 example %j + %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected)
  })

  it('does not mutate the target or the patch', () => {
    const target = { flags: { a: { enabled: true }, b: { enabled: true } } }
    const patch = { flags: { a: { enabled: false }, b: null } }
    const before = structuredClone([target, patch])
    const result = mergePatch(target, patch)
    expect([target, patch]).toEqual(before)
    expect(result).toEqual({ flags: { a: { enabled: false } } })
  })

  it('keeps "__proto__" and "constructor" as plain keys and never touches a prototype', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"a":{"__proto__":{"x":1}}}')
    const result = mergePatch({ a: {} }, patch) as Record<string, Record<string, unknown>>
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.hasOwn(result, '__proto__')).toBe(true)
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ polluted: true })
    expect(Object.getPrototypeOf(result.a)).toBe(Object.prototype)
    expect(JSON.parse(JSON.stringify(result))).toEqual(patch)
  })

  it('applies a patch nested 65 objects deep and rejects 66 as INVALID_CONFIG', () => {
    const nested = (n: number): unknown => JSON.parse('{"k":'.repeat(n) + '1' + '}'.repeat(n))
    expect(mergePatch({}, nested(65))).toEqual(nested(65))
    expect(() => mergePatch({}, nested(66))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('deeper than 64') }))
  })
})
