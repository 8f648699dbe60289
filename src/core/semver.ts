/**
 * Minimal SemVer 2.0 parsing and precedence for the `semver*` operators. Dependency-free.
 * Spec: https://semver.org/spec/v2.0.0.html (section 11 for precedence).
 */

/** A parsed version. `pre` holds the prerelease identifiers (`1.0.0-beta.1` → `['beta', '1']`). */
export interface Semver {
  major: number
  minor: number
  patch: number
  pre: string[]
}

// Numbers without leading zeros (SemVer 2.0 §2); minor and patch may be omitted; `v`/`V` prefix allowed.
const SEMVER =
  /^[vV]?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/
const NUMERIC = /^\d+$/

/**
 * Parse a version string. Accepts `1.2.3`, `v1.2.3`, `1.2` (→ 1.2.0), `1` (→ 1.0.0), a prerelease
 * (`1.2.3-beta.1`) and build metadata (`+build.5`, ignored). Returns `undefined` for anything else,
 * including leading zeros (`01.2.3`, `1.2.3-01`) and numbers above `Number.MAX_SAFE_INTEGER`.
 * @example
 * parseSemver('v1.2-rc.1') // { major: 1, minor: 2, patch: 0, pre: ['rc', '1'] }
 */
export const parseSemver = (v: string): Semver | undefined => {
  const m = SEMVER.exec(v)
  if (m === null) return undefined
  const major = Number(m[1])
  const minor = m[2] === undefined ? 0 : Number(m[2])
  const patch = m[3] === undefined ? 0 : Number(m[3])
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || !Number.isSafeInteger(patch)) return undefined
  const pre = m[4] === undefined ? [] : m[4].split('.')
  for (const id of pre) {
    if (id.length > 1 && id.charCodeAt(0) === 48 && NUMERIC.test(id)) return undefined
  }
  return { major, minor, patch, pre }
}

const compareIdentifiers = (a: string, b: string): number => {
  const an = NUMERIC.test(a)
  const bn = NUMERIC.test(b)
  // Numeric identifiers sort numerically and below alphanumeric ones (§11.4.1-3).
  if (an && bn) {
    // Compare by length first so identifiers above 2^53 still compare exactly.
    if (a.length !== b.length) return a.length < b.length ? -1 : 1
  } else if (an !== bn) {
    return an ? -1 : 1
  }
  return a === b ? 0 : a < b ? -1 : 1
}

/**
 * SemVer 2.0 precedence: `-1` when `a < b`, `0` when equal (build metadata is ignored), `1` when `a > b`.
 * A prerelease sorts below its release; identifiers compare numerically when both are numeric,
 * numeric below alphanumeric, alphanumeric in ASCII order, and a shorter list below a longer one.
 * @example
 * compareSemver(parseSemver('1.0.0-beta.2')!, parseSemver('1.0.0-beta.11')!) // -1
 */
export const compareSemver = (a: Semver, b: Semver): number => {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1
  const ap = a.pre
  const bp = b.pre
  if (ap.length === 0 || bp.length === 0) return ap.length === bp.length ? 0 : ap.length === 0 ? 1 : -1
  const n = Math.min(ap.length, bp.length)
  for (let i = 0; i < n; i++) {
    const c = compareIdentifiers(ap[i] as string, bp[i] as string)
    if (c !== 0) return c
  }
  return ap.length === bp.length ? 0 : ap.length < bp.length ? -1 : 1
}
