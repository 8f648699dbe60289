/**
 * MurmurHash3 x86_32 over the UTF-8 bytes of a string (DESIGN section 4).
 *
 * Our own streaming implementation instead of murmurhash-js, for three reasons measured on the hot path:
 * murmurhash-js hashes UTF-16 code units (`charCodeAt & 0xff`), so non-ASCII ids would need an encoded copy;
 * it needs the whole `salt:unit` string, i.e. a concatenation per call; and it cannot resume from a
 * precomputed state. Here the `salt:` prefix is hashed once when a config compiles, and each evaluation
 * only feeds the unit's bytes: no allocation, fewer bytes hashed. test/core/hash.test.ts cross-checks
 * every result against murmurhash-js and the published vectors in test/fixtures/hash-vectors.json.
 */

/** Hash state after a prefix: `h` the running hash, `k`/`n` the 0–3 pending tail bytes, `len` bytes fed. */
export interface HashState {
  readonly h: number
  readonly k: number
  readonly n: number
  readonly len: number
}

const mix = (h: number, k: number): number => {
  k = Math.imul(k, 0xcc9e2d51)
  h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/** Lead byte of a UTF-8 sequence of 2, 3 or 4 bytes. */
const LEAD = [0, 0, 0xc0, 0xe0, 0xf0]

// Tail registers `absorb` leaves behind (the hot loop itself runs on locals).
let K = 0
let N = 0
let L = 0

/** Feed the UTF-8 bytes of `s` into the state (h, k, n, len); returns h, leaves k/n/len in K/N/L. */
const absorb = (h: number, k: number, n: number, len: number, s: string): number => {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      k |= c << (n << 3)
      len++
      if (++n === 4) {
        h = mix(h, k)
        k = n = 0
      }
      continue
    }
    if (c >= 0xd800 && c < 0xe000) {
      const d = s.charCodeAt(i + 1)
      if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
      } else {
        c = 0xfffd // a lone surrogate encodes as U+FFFD, as TextEncoder does
      }
    }
    const count = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
    len += count
    for (let j = count - 1; j >= 0; j--) {
      const byte = j === count - 1 ? LEAD[count]! | (c >> (6 * j)) : 0x80 | ((c >> (6 * j)) & 0x3f)
      k |= byte << (n << 3)
      if (++n === 4) {
        h = mix(h, k)
        k = n = 0
      }
    }
  }
  K = k
  N = n
  L = len
  return h
}

const finish = (h: number): number => {
  if (N > 0) {
    const k = Math.imul(K, 0xcc9e2d51)
    h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593)
  }
  h ^= L
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The state after hashing `prefix` (with `seed`, default 0), to resume with `hashFrom`. */
export const hashPrefix = (prefix: string, seed = 0): HashState => {
  const h = absorb(seed | 0, 0, 0, 0, prefix)
  return { h, k: K, n: N, len: L }
}

/** murmur3_x86_32 of `state`'s prefix followed by `rest`, unsigned. */
export const hashFrom = (state: HashState, rest: string): number =>
  finish(absorb(state.h, state.k, state.n, state.len, rest))

/** murmur3_x86_32 of the UTF-8 bytes of `input`, unsigned. */
export const murmur3 = (input: string, seed = 0): number => finish(absorb(seed | 0, 0, 0, 0, input))

/** Number of rollout buckets: 10,000, so percentages have two decimals. */
export const BUCKETS = 10_000

/**
 * `h % 10000` for an unsigned 32-bit h, in integer arithmetic: V8 takes `uint32 % n` to floating point
 * for h >= 2^31. Since 10000 = 2 * 5000 and h = 2q + b: h % 10000 = 2 * (q % 5000) + b.
 */
export const toBucket = (h: number): number => ((h >>> 1) % 5000) * 2 + (h & 1)

/**
 * A bucket map other than `toBucket`, for configs that name their own bucketing (`hash` on a serve):
 * `mod` is `h % buckets`; `scale` is `floor(h * buckets / 2^32)` (flagd's fractional, v2), computed in
 * two 16-bit halves so every product stays below 2^53; `abs` is `|h as int32|` (0 to 2^31), the magnitude
 * flagd's v1 fractional compared against `buckets` (2^31 - 1 there).
 */
export const bucketMap = (map: 'mod' | 'scale' | 'abs', buckets: number): ((h: number) => number) =>
  map === 'scale'
    ? (h) => Math.floor(((h >>> 16) * buckets + Math.floor(((h & 0xffff) * buckets) / 65536)) / 65536)
    : map === 'abs'
      ? (h) => (h > 0x7fffffff ? 0x100000000 - h : h)
      : (h) => h % buckets

/** The rollout bucket (0..9999) of `unit` for `salt`: `murmur3(salt + ":" + unit) % 10000`. */
export const bucketOf = (salt: string, unit: string): number => toBucket(murmur3(`${salt}:${unit}`))

/** The variant bucket (0..9999): `murmur3(salt + ":variant:" + unit) % 10000`. */
export const variantBucketOf = (salt: string, unit: string): number => toBucket(murmur3(`${salt}:variant:${unit}`))
