import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareSemver, parseSemver } from '../../src/core/semver.ts'
import { createClient } from 'flagstage'
import type { Semver } from '../../src/core/semver.ts'

const v = (s: string): Semver => {
  const parsed = parseSemver(s)
  if (parsed === undefined) throw new Error(`test setup: ${s} does not parse`)
  return parsed
}
const cmp = (a: string, b: string): number => compareSemver(v(a), v(b))

describe('parseSemver', () => {
  it('parses a full version', () => {
    expect(parseSemver('1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, pre: [] })
  })

  it('accepts a v prefix', () => {
    expect(parseSemver('v1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, pre: [] })
    expect(parseSemver('V10.0.1')).toEqual({ major: 10, minor: 0, patch: 1, pre: [] })
  })

  it('fills in a missing minor and patch with 0', () => {
    expect(parseSemver('1.2')).toEqual({ major: 1, minor: 2, patch: 0, pre: [] })
    expect(parseSemver('1')).toEqual({ major: 1, minor: 0, patch: 0, pre: [] })
    expect(parseSemver('v3-rc.1')).toEqual({ major: 3, minor: 0, patch: 0, pre: ['rc', '1'] })
  })

  it('splits prerelease identifiers', () => {
    expect(parseSemver('1.0.0-beta.1')).toEqual({ major: 1, minor: 0, patch: 0, pre: ['beta', '1'] })
    expect(parseSemver('1.0.0-x-y.0.z--')).toEqual({ major: 1, minor: 0, patch: 0, pre: ['x-y', '0', 'z--'] })
  })

  it('ignores build metadata', () => {
    expect(parseSemver('1.2.3+build.5')).toEqual({ major: 1, minor: 2, patch: 3, pre: [] })
    expect(parseSemver('1.2.3-rc.1+sha.abc')).toEqual({ major: 1, minor: 2, patch: 3, pre: ['rc', '1'] })
  })

  it.each([
    '', 'v', '1.', '1.2.', '1.2.3.4', 'a.b.c', '01.2.3', '1.02.3', '1.2.03', '1.2.3-', '1.2.3-01',
    '1.2.3-a..b', '1.2.3+', '1.2.3+a..b', '1.2.3-a_b', ' 1.2.3', '1.2.3 ', '-1.2.3', '1.2.3-beta!',
    '99999999999999999999.0.0', '=1.2.3', '^1.2.3', '1.x',
  ])('returns undefined for %j', (input) => {
    expect(parseSemver(input)).toBeUndefined()
  })

  it('accepts numeric zero as a prerelease identifier', () => {
    expect(parseSemver('1.0.0-0')?.pre).toEqual(['0'])
  })
})

describe('compareSemver', () => {
  it('orders the SemVer 2.0 example chain', () => {
    const chain = [
      '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11',
      '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '1.10.0', '2.0.0',
    ]
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        expect(cmp(chain[i]!, chain[j]!), `${chain[i]} vs ${chain[j]}`).toBe(Math.sign(i - j))
      }
    }
  })

  it('ranks a prerelease below its release', () => {
    expect(cmp('2.0.0-rc.1', '2.0.0')).toBe(-1)
    expect(cmp('2.0.0', '2.0.0-rc.1')).toBe(1)
  })

  it('compares numeric identifiers numerically, not as text', () => {
    expect(cmp('1.0.0-beta.9', '1.0.0-beta.10')).toBe(-1)
    expect(cmp('1.9.0', '1.10.0')).toBe(-1)
    expect(cmp('1.0.0-123456789012345678901', '1.0.0-99999999999999999999')).toBe(1)
  })

  it('ranks numeric identifiers below alphanumeric ones', () => {
    expect(cmp('1.0.0-1', '1.0.0-a')).toBe(-1)
    expect(cmp('1.0.0-a', '1.0.0-1')).toBe(1)
  })

  it('compares alphanumeric identifiers in ASCII order', () => {
    expect(cmp('1.0.0-Beta', '1.0.0-alpha')).toBe(-1)
    expect(cmp('1.0.0-alpha-2', '1.0.0-alpha2')).toBe(-1)
  })

  it('treats equal versions, with or without build metadata and v prefix, as equal', () => {
    expect(cmp('1.2.3', 'v1.2.3+build.9')).toBe(0)
    expect(cmp('1.2', '1.2.0')).toBe(0)
    expect(cmp('1.0.0-rc.1+a', '1.0.0-rc.1+b')).toBe(0)
  })

  const identifier = fc.oneof(
    fc.nat({ max: 30 }).map(String),
    fc.constantFrom('alpha', 'beta', 'rc', 'a-b', 'Z', 'x1'),
  )
  const semver = fc.record({
    major: fc.nat({ max: 4 }),
    minor: fc.nat({ max: 4 }),
    patch: fc.nat({ max: 4 }),
    pre: fc.array(identifier, { maxLength: 3 }),
  })

  it('is antisymmetric and reflexive', () => {
    fc.assert(
      fc.property(semver, semver, (a, b) => {
        expect(compareSemver(a, a)).toBe(0)
        expect(compareSemver(a, b)).toBe(-compareSemver(b, a) || 0)
      }),
    )
  })

  it('is transitive', () => {
    fc.assert(
      fc.property(semver, semver, semver, (a, b, c) => {
        if (compareSemver(a, b) <= 0 && compareSemver(b, c) <= 0) expect(compareSemver(a, c)).toBeLessThanOrEqual(0)
      }),
    )
  })

  it('round-trips through a formatted string', () => {
    fc.assert(
      fc.property(semver, (s) => {
        const text = `${s.major}.${s.minor}.${s.patch}${s.pre.length ? `-${s.pre.join('.')}` : ''}`
        expect(parseSemver(text)).toEqual(s)
      }),
    )
  })
})

// Mutation-testing survivors (Stryker, src/core/semver.ts), through the semver operators as a config uses them.
describe('semver operators on prerelease identifiers', () => {
  const gt = (version: string, than: string): boolean =>
    createClient({ bootstrap: { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ if: { attr: 'v', op: 'semverGt', value: than }, serve: 'on' }] } } } })
      .forContext({ v: version }).isEnabled('f')

  it('sorts an alphanumeric identifier above a numeric one, whatever their lengths and ASCII order', () => {
    expect(gt('1.0.0-a', '1.0.0-12')).toBe(true) // shorter, yet above: not compared by length
    expect(gt('1.0.0--x', '1.0.0-1')).toBe(true) // '-' sorts below '1' in ASCII, yet above: numeric is lowest
    expect(gt('1.0.0-1', '1.0.0--x')).toBe(false)
  })
})
