// UTF-8 and bucket-map edges that surviving mutants of hash.ts showed untested (npm run mutation:core):
// code points at each encoding boundary, surrogates next to them, and the flagd bucket maps.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import murmurhashJs from 'murmurhash-js'
import { bucketMap, murmur3 } from '../../src/core/hash.ts'

const utf8Binary = (s: string): string => String.fromCharCode(...new TextEncoder().encode(s))

describe('murmur3 at UTF-8 boundaries', () => {
  // The last and first code unit of each encoding length and of each surrogate range, alone and paired.
  const units = [0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xffff]
  const strings = [
    ...units.map((u) => String.fromCharCode(u)),
    ...units.flatMap((a) => units.map((b) => String.fromCharCode(a, b))),
    '\u{10000}', '\u{10ffff}', 'a\u{10000}b',
  ]
  it('hashes the same bytes as TextEncoder gives, for every pair of boundary code units', () => {
    for (const s of strings) expect([s, murmur3(s)]).toEqual([s, murmurhashJs.murmur3(utf8Binary(s), 0)])
  })
})

describe('bucketMap', () => {
  it('scale is floor(h * buckets / 2^32), exactly, for any 32-bit hash and bucket count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 2 ** 32 }), (h, buckets) => {
        expect(bucketMap('scale', buckets)(h)).toBe(Number((BigInt(h) * BigInt(buckets)) >> 32n))
      }),
      { numRuns: 2000 },
    )
    expect(bucketMap('scale', 3)(0xffffffff)).toBe(2)
    expect(bucketMap('scale', 100)(0x0000ffff)).toBe(0)
  })

  it('abs is the magnitude of h as a signed 32-bit integer', () => {
    for (const h of [0, 1, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff]) {
      expect(bucketMap('abs', 2 ** 31 - 1)(h)).toBe(Math.abs(h | 0))
    }
  })
})
