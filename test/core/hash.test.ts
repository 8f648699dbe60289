import { describe, expect, it } from 'vitest'
import murmurhashJs from 'murmurhash-js'
import { BUCKETS, bucketOf, hashFrom, hashPrefix, murmur3, variantBucketOf } from '../../src/core/hash.ts'
import vectors from '../fixtures/hash-vectors.json' with { type: 'json' }

// murmurhash-js hashes one byte per UTF-16 code unit, so give it the UTF-8 bytes as a binary string.
const utf8Binary = (s: string): string => String.fromCharCode(...new TextEncoder().encode(s))

describe('murmur3 (UTF-8, x86_32)', () => {
  it('matches the spec version it pins', () => {
    expect(vectors.spec).toBe('flagstage bucketing v1')
  })

  it.each(vectors.murmur3.map((v) => [JSON.stringify(v.input), v.seed, v.hash, v.input] as const))(
    'hashes %s with seed %i to the published value %i',
    (_label, seed, hash, input) => {
      expect(murmur3(input, seed)).toBe(hash)
    },
  )

  it.each(vectors.buckets.map((v) => [v.salt, v.unit, v.bucket, v.variantBucket] as const))(
    'puts %s / %j in rollout bucket %i and variant bucket %i',
    (salt, unit, bucket, variantBucket) => {
      expect(bucketOf(salt, unit)).toBe(bucket)
      expect(variantBucketOf(salt, unit)).toBe(variantBucket)
      expect(hashFrom(hashPrefix(`${salt}:`), unit) % BUCKETS).toBe(bucket)
      expect(hashFrom(hashPrefix(`${salt}:variant:`), unit) % BUCKETS).toBe(variantBucket)
    },
  )

  it('agrees with murmurhash-js on the UTF-8 bytes of random strings, resumed from any prefix', () => {
    const alphabet = ['a', 'Z', '0', ':', '-', 'é', 'ß', '用', '户', '😀', '\u0000', ' ', '\u07ff', '\uffff']
    let seed = 7
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n)
    for (let i = 0; i < 2000; i++) {
      let s = ''
      const len = rand(40)
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)]
      const expected = murmurhashJs.murmur3(utf8Binary(s), 0)
      expect(murmur3(s)).toBe(expected)
      const cut = rand(s.length + 1)
      // never cut inside a surrogate pair
      const at = cut > 0 && s.charCodeAt(cut - 1) >= 0xd800 && s.charCodeAt(cut - 1) < 0xdc00 ? cut + 1 : cut
      expect(hashFrom(hashPrefix(s.slice(0, at)), s.slice(at))).toBe(expected)
    }
  })

  it('encodes a lone surrogate as U+FFFD, like TextEncoder', () => {
    expect(murmur3('a\ud800b')).toBe(murmurhashJs.murmur3(utf8Binary('a\ud800b'), 0))
    expect(murmur3('a\ud800b')).toBe(murmur3('a\ufffdb'))
  })
})

// Moved from rollout.test.ts: a property of bucketOf. (Instrumented by Stryker it takes minutes, which kept the
// rollout tests out of the CI mutation subset.)
describe('bucketOf distribution', () => {
  it('spreads 100k ids uniformly over buckets (chi-square, 100 cells)', () => {
    const cells = new Array<number>(100).fill(0)
    const n = 100_000
    for (let i = 0; i < n; i++) cells[Math.floor(bucketOf('uniformity', `id-${i}`) / 100)]!++
    const expected = n / 100
    const chi2 = cells.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0)
    // 99 degrees of freedom: the 99.9th percentile is about 148.2
    expect(chi2).toBeLessThan(148.2)
  })
})
