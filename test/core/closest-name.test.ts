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
