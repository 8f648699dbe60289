// validate-walk.ts through validateConfig / configProblems: the chain-depth limit of prerequisites and of
// segments (issue #9), where it is reported and what the message shows, and cycles in all-problems mode.
import { describe, expect, it } from 'vitest'
import { rejection } from '../helpers/rejection.ts'
import { FlagstageError } from '../../src/core/errors.ts'
import { MAX_CHAIN_DEPTH } from '../../src/core/validate-walk.ts'
import { configProblems, validateConfig } from '../../src/core/validate.ts'

type Json = Record<string, unknown>

const problem = (config: unknown): FlagstageError => rejection(config)
/** Flags f0 … f(n-1), each requiring the one before. */
const chain = (n: number, extra: (i: number) => Json[] = () => []): Json => {
  const flags: Json = {}
  for (let i = 0; i < n; i++) flags[`f${i}`] = { enabled: true, ...(i > 0 ? { requires: [...extra(i), { flag: `f${i - 1}` }] } : {}) }
  return flags
}
const config = (flags: Json, extra: Json = {}): Json => ({ schemaVersion: 1, ...extra, flags })
const staff = { attr: 'email', op: 'endsWith', value: '@example.com' }
/** Segments s0 … s(n-1), each referencing the one before. */
const segmentChain = (n: number): Json => {
  const segments: Json = { s0: staff }
  for (let i = 1; i < n; i++) segments[`s${i}`] = { segment: `s${i - 1}` }
  return segments
}

describe('prerequisite chains', () => {
  it(`accepts ${MAX_CHAIN_DEPTH} prerequisites in a row and rejects ${MAX_CHAIN_DEPTH + 1}, at the top of the chain`, () => {
    expect(MAX_CHAIN_DEPTH).toBe(64)
    const ok = config(chain(MAX_CHAIN_DEPTH + 1))
    expect(validateConfig(ok)).toBe(ok)
    const error = problem(config(chain(MAX_CHAIN_DEPTH + 2)))
    expect(error.path).toBe('flags.f65.requires[0].flag')
    expect(error.message).toBe('flags.f65.requires[0].flag: prerequisite chain deeper than 64: "f65" → "f64" → "f63" → "f62" → ...')
  })

  it('reports the deepest prerequisite of the flag, and shows the deepest chain', () => {
    // f65 requires a leaf first, then the long chain: the problem is at the long one.
    const flags = { ...chain(MAX_CHAIN_DEPTH + 1), leaf: { enabled: true }, top: { enabled: true, requires: [{ flag: 'leaf' }, { flag: 'f64' }, { flag: 'leaf' }] } }
    const error = problem(config(flags))
    expect(error.path).toBe('flags.top.requires[1].flag')
    expect(error.message).toContain('"top" → "f64" → "f63" → "f62" → ...')
  })

  it('shows the chain of the reference it reports when two are equally deep', () => {
    const other: Json = {}
    for (let i = 0; i <= MAX_CHAIN_DEPTH; i++) other[`g${i}`] = { enabled: true, ...(i > 0 ? { requires: [{ flag: `g${i - 1}` }] } : {}) }
    const flags = { ...chain(MAX_CHAIN_DEPTH + 1), ...other, top: { enabled: true, requires: [{ flag: 'f64' }, { flag: 'g64' }] } }
    const error = problem(config(flags))
    expect(error.path).toBe('flags.top.requires[0].flag')
    expect(error.message).toContain('"top" → "f64" → "f63"')
  })

  it('counts the longest path through a diamond', () => {
    // Each f(i) also requires a leaf: the leaf does not shorten the chain, nor does it lengthen it.
    const flags = { leaf: { enabled: true }, ...chain(MAX_CHAIN_DEPTH + 1, () => [{ flag: 'leaf' }]) }
    expect(validateConfig(config(flags))).toBeTruthy()
    const deeper = { leaf: { enabled: true }, ...chain(MAX_CHAIN_DEPTH + 2, () => [{ flag: 'leaf' }]) }
    expect(problem(config(deeper)).path).toBe('flags.f65.requires[1].flag')
  })

  it('reports one too-deep chain per config in all-problems mode', () => {
    const problems = configProblems(config(chain(MAX_CHAIN_DEPTH + 10)))
    expect(problems).toHaveLength(1)
    expect(problems[0]!.path).toBe('flags.f65.requires[0].flag')
  })

  it('shows only the flags on the cycle, not the path that led to it', () => {
    const error = problem(config({
      x: { enabled: true, requires: [{ flag: 'y' }] }, y: { enabled: true, requires: [{ flag: 'z' }] }, z: { enabled: true, requires: [{ flag: 'y' }] },
    }))
    expect(error.message).toBe('flags.z.requires[0].flag: prerequisite cycle: "y" → "z" → "y"')
    const segments = { a: { segment: 'b' }, b: { segment: 'c' }, c: { not: { segment: 'b' } } }
    expect(problem(config({}, { segments })).message).toBe('segments.c.not.segment: segment cycle: "b" → "c" → "b"')
  })

  it('finds a cycle through a prerequisite listed after a malformed one, in all-problems mode', () => {
    for (const bad of [null, 0, '', 'b', false]) {
      const problems = configProblems(config({ a: { enabled: true, requires: [bad, { flag: 'a' }] } }))
      expect(problems.map((p) => p.path), String(bad)).toEqual(['flags.a.requires[0]', 'flags.a.requires[1].flag'])
      expect(problems[1]!.message).toContain('prerequisite cycle: "a" → "a"')
    }
    const longer = configProblems(config({ a: { enabled: true, requires: [null, { flag: 'b' }] }, b: { enabled: true, requires: [{ flag: 'a' }] } }))
    expect(longer.map((p) => p.message)).toEqual(['flags.a.requires[0]: expected an object, got null', 'flags.b.requires[0].flag: prerequisite cycle: "a" → "b" → "a"'])
  })

  it('reports every cycle in all-problems mode, at the reference closing each, and the chains beside them', () => {
    const problems = configProblems(config({
      a: { enabled: true, requires: [{ flag: 'b' }] }, b: { enabled: true, requires: [{ flag: 'a' }] },
      c: { enabled: true, requires: [{ flag: 'd' }, { flag: 'c' }] }, d: { enabled: true },
    }))
    expect(problems.map((p) => p.message)).toEqual([
      'flags.b.requires[0].flag: prerequisite cycle: "a" → "b" → "a"',
      'flags.c.requires[1].flag: prerequisite cycle: "c" → "c"',
    ])
  })
})

describe('segment chains', () => {
  it(`accepts ${MAX_CHAIN_DEPTH} segment references in a row and rejects ${MAX_CHAIN_DEPTH + 1}, at the reference`, () => {
    const ok = config({}, { segments: segmentChain(MAX_CHAIN_DEPTH + 1) })
    expect(validateConfig(ok)).toBe(ok)
    const error = problem(config({}, { segments: segmentChain(MAX_CHAIN_DEPTH + 2) }))
    expect(error.path).toBe('segments.s65.segment')
    expect(error.message).toBe('segments.s65.segment: segment chain deeper than 64: "s65" → "s64" → "s63" → "s62" → ...')
  })

  it('reports a reference nested in a segment at its own path', () => {
    const segments = { ...segmentChain(MAX_CHAIN_DEPTH + 1), top: { any: [staff, { not: { segment: 's64' } }] } }
    expect(problem(config({}, { segments })).path).toBe('segments.top.any[1].not.segment')
  })

  it('does not count a flag\'s segment references as a chain link', () => {
    // A flag referencing the deepest segment is fine: flags are not segments.
    const segments = segmentChain(MAX_CHAIN_DEPTH + 1)
    const doc = config({ a: { enabled: true, rules: [{ if: { segment: 's64' }, serve: 'on' }] } }, { segments })
    expect(validateConfig(doc)).toBe(doc)
  })
})
