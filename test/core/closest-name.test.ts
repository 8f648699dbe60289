import { describe, expect, it } from 'vitest'
import { closestName } from 'flagstage'

const OPS = 'in notIn eq neq contains startsWith endsWith matches lt lte gt gte before after semverEq semverLt semverLte semverGt semverGte exists'.split(' ')

describe('closestName', () => {
  it('suggests the near name: typos, swaps, case', () => {
    expect(closestName('inn', OPS)).toBe('in')
    expect(closestName('treatmnt', ['control', 'treatment'])).toBe('treatment')
    expect(closestName('enabeld', ['enabled', 'variants', 'rules'])).toBe('enabled')
    expect(closestName('startswith', OPS)).toBe('startsWith')
    expect(closestName('semverGreater', OPS)).toBeUndefined()
  })

  it('suggests nothing when nothing is close, and never the name itself', () => {
    expect(closestName('xyz', OPS)).toBeUndefined()
    expect(closestName('in', ['in'])).toBeUndefined()
    expect(closestName('a', [])).toBeUndefined()
  })
})

describe('closestName: how close is close', () => {
  it('allows 1 edit below 5 characters, 2 from 5, 3 from 9', () => {
    expect(closestName('abd', ['abc'])).toBe('abc')
    expect(closestName('abxy', ['abcd'])).toBeUndefined()
    expect(closestName('abxye', ['abcde'])).toBe('abcde')
    expect(closestName('axyze', ['abcde'])).toBeUndefined()
    expect(closestName('abcdexyz', ['abcdefgh'])).toBeUndefined()
    expect(closestName('abcdefxyz', ['abcdefghi'])).toBe('abcdefghi')
    expect(closestName('abcdewxyz', ['abcdefghi'])).toBeUndefined()
  })

  it('counts insertions and deletions, also at the ends, within the limit', () => {
    expect(closestName('variant', ['variants'])).toBe('variants')
    expect(closestName('xvariant', ['variant'])).toBe('variant')
    expect(closestName('variants', ['vari'])).toBeUndefined()
    expect(closestName('ab', ['abcd'])).toBeUndefined()
  })

  it('counts a swap of two neighbours as one edit, anywhere in the name', () => {
    expect(closestName('ni', ['in'])).toBe('in')
    expect(closestName('qe', ['eq', 'neq'])).toBe('eq')
    expect(closestName('tl', ['lt', 'gt'])).toBe('lt')
    expect(closestName('semevrEq', ['semverEq'])).toBe('semverEq')
    // Two swaps in a short name are two edits.
    expect(closestName('badc', ['abcd'])).toBeUndefined()
    // A swap is both letters exchanged: one letter matching its neighbour's place is no swap.
    expect(closestName('aab', ['abc'])).toBeUndefined()
    expect(closestName('aab', ['aca'])).toBeUndefined()
  })

  it('prefers the closest choice, and the first of equally close ones', () => {
    expect(closestName('treatmen', ['treatments', 'treatment'])).toBe('treatment')
    expect(closestName('ab', ['ac', 'ad'])).toBe('ac')
    expect(closestName('lte', ['lt', 'gte', 'lte2'])).toBe('lt')
  })

  it('compares without case, and suggests the choice as written', () => {
    expect(closestName('NOTIN', ['in', 'notIn'])).toBe('notIn')
    expect(closestName('In', ['in'])).toBe('in')
  })
})
