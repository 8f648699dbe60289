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

// Working registers: module-level so the hot loop allocates nothing.
let H = 0
let K = 0
let N = 0
let L = 0

const push = (byte: number): void => {
  K |= byte << (N << 3)
  L++
  if (++N === 4) {
    let k = Math.imul(K, 0xcc9e2d51)
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593)
    H ^= k
    H = (H << 13) | (H >>> 19)
    H = (Math.imul(H, 5) + 0xe6546b64) | 0
    K = 0
    N = 0
  }
}

const feed = (s: string): void => {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      push(c)
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
    if (c < 0x800) {
      push(0xc0 | (c >> 6))
    } else if (c < 0x10000) {
      push(0xe0 | (c >> 12))
      push(0x80 | ((c >> 6) & 0x3f))
    } else {
      push(0xf0 | (c >> 18))
      push(0x80 | ((c >> 12) & 0x3f))
      push(0x80 | ((c >> 6) & 0x3f))
    }
    push(0x80 | (c & 0x3f))
  }
}

const load = (state: HashState): void => {
  H = state.h
  K = state.k
  N = state.n
  L = state.len
}

const finish = (): number => {
  let h = H
  if (N > 0) {
    let k = Math.imul(K, 0xcc9e2d51)
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

/** The state after hashing `prefix` (seed 0), to resume with `hashFrom`. */
export const hashPrefix = (prefix: string): HashState => {
  H = K = N = L = 0
  feed(prefix)
  return { h: H, k: K, n: N, len: L }
}

/** murmur3_x86_32 of `state`'s prefix followed by `rest`, unsigned. */
export const hashFrom = (state: HashState, rest: string): number => {
  load(state)
  feed(rest)
  return finish()
}

/** murmur3_x86_32 of the UTF-8 bytes of `input`, unsigned. */
export const murmur3 = (input: string, seed = 0): number => {
  H = seed | 0
  K = N = L = 0
  feed(input)
  return finish()
}

/** Number of rollout buckets: 10,000, so percentages have two decimals. */
export const BUCKETS = 10_000

/** The rollout bucket (0..9999) of `unit` for `salt`: `murmur3(salt + ":" + unit) % 10000`. */
export const bucketOf = (salt: string, unit: string): number => murmur3(`${salt}:${unit}`) % BUCKETS

/** The variant bucket (0..9999): `murmur3(salt + ":variant:" + unit) % 10000`. */
export const variantBucketOf = (salt: string, unit: string): number => murmur3(`${salt}:variant:${unit}`) % BUCKETS
