// Random flagd definitions and contexts inside the JsonLogic subset fromFlagd translates, for the
// differential test against @openfeature/flagd-core. Deterministic: a seeded PRNG.

type J = null | boolean | number | string | J[] | { [k: string]: J }

export const rng = (seed: number): (() => number) => () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
export type Rand = ReturnType<typeof rng>
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1))

const STRINGS = ['a', 'b', 'abc', 'xyz', 'abcxyz', 'hello@example.com', 'bob@faas.com', 'ABC', '', 'héllo', '日本']
const NUMBERS = [0, 1, 5, 17.5, -3, 100, '5', '10', '', '-2']
const VERSIONS = ['1.0.0', '1.2.3', '2.0.0-alpha', '2.0.0', 'v2.1', '1', '1.5', '3.0.0-rc.1', '2.1.0+build.5', 'not-a-version', '2.0.0.0']
const SV_OPS = ['=', '!=', '<', '<=', '>', '>=', '^', '~']
const STR_ATTRS = ['s1', 's2', 'email', 'user.name']

const cond = (r: Rand, key: string, depth: number): J => {
  const k = depth < 2 ? int(r, 0, 12) : int(r, 0, 9)
  const s = { var: pick(r, STR_ATTRS) }
  switch (k) {
    case 0: return { [pick(r, ['==', '===', '!=', '!=='])]: r() < 0.5 ? [s, pick(r, STRINGS)] : [pick(r, STRINGS), s] }
    case 1: return { [pick(r, ['==', '!='])]: [{ var: 'n1' }, pick(r, [0, 1, 5, 17.5, -3, 100])] }
    case 2: return { [pick(r, ['<', '<=', '>', '>='])]: r() < 0.7 ? [{ var: 'n1' }, pick(r, [0, 1, 5, -5, 17.5, 50])] : [pick(r, [0, 1, 5]), { var: 'n1' }] }
    case 3: return { [pick(r, ['<', '<='])]: [pick(r, [-5, 0, 1]), { var: 'n1' }, pick(r, [5, 20, 200])] }
    case 4: return { in: [s, Array.from({ length: int(r, 0, 3) }, () => pick(r, STRINGS))] }
    case 5: return { in: [pick(r, ['a', 'example', '@', 'x', '']), s] }
    case 6: return { [pick(r, ['starts_with', 'ends_with'])]: [s, pick(r, ['a', 'ab', 'xyz', '.com', '', 'héllo'])] }
    case 7: return { sem_ver: [{ var: 'version' }, pick(r, SV_OPS), pick(r, ['1.0.0', '2.0.0', 'v1.5', '2', '2.0.0-alpha', '1.2.3'])] }
    case 8: return pick(r, [true, false, { '==': [{ var: '$flagd.flagKey' }, key] }, { '!=': [{ var: '$flagd.flagKey' }, key] }])
    case 9: return { '==': [{ var: 'beta' }, pick(r, [true, false])] }
    case 10: return { and: Array.from({ length: int(r, 1, 3) }, () => cond(r, key, depth + 1)) }
    case 11: return { or: Array.from({ length: int(r, 1, 3) }, () => cond(r, key, depth + 1)) }
    default: return { '!': cond(r, key, depth + 1) }
  }
}

const fractional = (r: Rand, names: string[]): J => {
  const buckets: J[] = Array.from({ length: int(r, 1, 4) }, () => (r() < 0.2 ? [pick(r, names)] : [pick(r, names), int(r, 0, 100)]))
  const dedup = buckets.filter((b, i) => !buckets.some((c, j) => j < i && (c as J[])[0] === (b as J[])[0]))
  const key = int(r, 0, 3)
  if (key === 0) return { fractional: dedup }
  if (key === 1) return { fractional: [{ var: 'email' }, ...dedup] }
  if (key === 2) return { fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'email' }] }, ...dedup] }
  return { fractional: [{ cat: ['seed-', { var: 'targetingKey' }] }, ...dedup] }
}

const leaf = (r: Rand, key: string, names: string[], depth: number, refs: string[]): J => {
  const k = int(r, 0, depth < 2 ? 9 : 5)
  if (k <= 2) return pick(r, names)
  if (k === 3) return null
  if (k <= 5) return fractional(r, names)
  if (k === 6 && refs.length) return { if: [{ $ref: pick(r, refs) }, pick(r, names), leaf(r, key, names, depth + 1, refs)] }
  const n = int(r, 1, 3)
  const args: J[] = []
  for (let i = 0; i < n; i++) args.push(cond(r, key, 0), leaf(r, key, names, depth + 1, refs))
  if (r() < 0.6) args.push(leaf(r, key, names, depth + 1, refs))
  return { if: args }
}

export const definitions = (r: Rand, flags: number): { flags: Record<string, J>; $evaluators: Record<string, J> } => {
  const $evaluators: Record<string, J> = { isBeta: { '==': [{ var: 'beta' }, true] }, fromFaas: { ends_with: [{ var: 'email' }, '@faas.com'] } }
  const out: Record<string, J> = {}
  for (let f = 0; f < flags; f++) {
    const key = `flag-${f}-${int(r, 0, 999)}`
    const names = ['red', 'blue', 'green', 'yellow'].slice(0, int(r, 2, 4))
    const variants: Record<string, J> = Object.fromEntries(names.map((n) => [n, n]))
    const flag: Record<string, J> = { state: r() < 0.9 ? 'ENABLED' : 'DISABLED', variants }
    const d = int(r, 0, 5)
    if (d > 0) flag.defaultVariant = d === 1 ? null : pick(r, names)
    const t = int(r, 0, 6)
    if (t === 1) flag.targeting = {}
    else if (t > 1) {
      let targeting = leaf(r, key, names, 0, Object.keys($evaluators))
      while (typeof targeting !== 'object' || targeting === null) targeting = leaf(r, key, names, 0, Object.keys($evaluators))
      flag.targeting = t === 2 ? { if: [cond(r, key, 0), 'true', 'false'] } : targeting
    }
    if (t === 2) Object.assign(variants, { true: 'yes', false: 'no' })
    out[key] = flag
  }
  return { flags: out, $evaluators }
}

export const context = (r: Rand): Record<string, unknown> => {
  const c: Record<string, unknown> = {}
  const maybe = (k: string, v: () => unknown): void => {
    if (r() < 0.75) c[k] = v()
  }
  // Bucketing values are ASCII: flagd-core (imurmurhash) hashes UTF-16 code units, flagd (Go) and
  // flagstage UTF-8 bytes; non-ASCII ids are compared against the UTF-8 reference instead (fractional.test.ts).
  maybe('targetingKey', () => pick(r, ['u-1', 'u-2', 'user-42', `id-${int(r, 0, 1e6)}`, '']))
  maybe('s1', () => pick(r, STRINGS))
  maybe('s2', () => pick(r, STRINGS))
  // Never empty: flagd hashes an empty bucketing value, flagstage treats it as no unit (README).
  maybe('email', () => pick(r, [...STRINGS.filter((x) => x && /^[\x20-\x7e]+$/.test(x)), `user${int(r, 0, 9999)}@faas.com`, `x${int(r, 0, 9999)}@example.com`]))
  maybe('n1', () => pick(r, NUMBERS))
  maybe('version', () => pick(r, VERSIONS))
  maybe('beta', () => r() < 0.5)
  if (r() < 0.5) c.user = { name: pick(r, STRINGS) }
  return c
}
