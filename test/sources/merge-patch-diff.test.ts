import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergePatch, mergePatchDiff } from 'flagstage'

describe('mergePatchDiff()', () => {
  it('is the inverse of mergePatch: applying the diff to `from` gives `to`', () => {
    // Objects without null members (a merge patch cannot set a member to null), any JSON in arrays.
    const leaf = fc.oneof(fc.boolean(), fc.integer(), fc.string({ maxLength: 4 }), fc.array(fc.oneof(fc.constant(null), fc.integer()), { maxLength: 3 }))
    const { doc } = fc.letrec((tie) => ({
      doc: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__', 'revision'), tie('doc'), { maxKeys: 4 })),
    }))
    fc.assert(fc.property(doc, doc, (from, to) => {
      const patch = mergePatchDiff(from, to)
      expect(patch).not.toBeUndefined()
      expect(mergePatch(from, patch)).toEqual(to)
    }), { numRuns: 2_000 })
  })

  it('lists only what changed: deletions as null, nested edits member by member', () => {
    expect(mergePatchDiff({ a: 1, b: { c: 2, d: [1] }, e: 'x' }, { b: { c: 3, d: [1] }, e: 'x', f: [null] }))
      .toEqual({ a: null, b: { c: 3 }, f: [null] })
    expect(mergePatchDiff({ a: 1 }, { a: 1 })).toEqual({})
    expect(mergePatchDiff({ a: [1, 2] }, { a: [1, 3] })).toEqual({ a: [1, 3] })
  })

  it('keeps a "__proto__" key an own member of the patch', () => {
    const to = JSON.parse('{"flags":{"__proto__":{"enabled":true}}}')
    const patch = mergePatchDiff({ flags: {} }, to) as { flags: object }
    expect(Object.hasOwn(patch.flags, '__proto__')).toBe(true)
    expect(mergePatch({ flags: {} }, patch)).toEqual(to)
  })

  it('is undefined when `to` holds a null member, which a patch would read as a deletion', () => {
    expect(mergePatchDiff({ a: 1 }, { a: null })).toBeUndefined()
    expect(mergePatchDiff({}, { f: { offVariant: null } })).toBeUndefined()
    expect(mergePatchDiff({ f: { x: 1 } }, { f: { x: 1, offVariant: null } })).toBeUndefined()
  })

  it('builds a patch of plain members, which a caller may still edit before sending', () => {
    const patch = mergePatchDiff({ a: 1, b: { c: 1 } }, { b: { c: 2 } }) as Record<string, Record<string, unknown>>
    for (const [object, key] of [[patch, 'a'], [patch, 'b'], [patch.b!, 'c']] as const) {
      expect(Object.getOwnPropertyDescriptor(object, key)).toEqual({ value: object[key], writable: true, enumerable: true, configurable: true })
    }
  })
})
