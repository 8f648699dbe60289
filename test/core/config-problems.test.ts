import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { configProblems, FlagstageError, validateConfig, type FlagstageErrorOptions } from 'flagstage'

type Json = Record<string, unknown>
const firstProblem = (doc: unknown): FlagstageError | undefined => {
  try {
    validateConfig(doc)
  } catch (error) {
    return error as FlagstageError
  }
  return undefined
}
const summary = (e: FlagstageError | undefined) => e && { path: e.path, message: e.message, details: e.details }
const BAD = join(import.meta.dirname, '../fixtures/configs/bad')

describe('configProblems', () => {
  it('returns an empty list for a valid config', () => {
    expect(configProblems({ schemaVersion: 1, flags: { a: { enabled: true, rules: [{ serve: 'on' }] } } })).toEqual([])
  })

  it('lists every problem with its path, in the order validateConfig looks for them', () => {
    const doc = {
      schemaVersion: 2,
      flgs: {},
      segments: { beta: { attr: 'plan', op: 'eqq', value: 'pro' } },
      flags: {
        a: { enabled: 'yes', rules: [{ serve: 'onn' }, { if: { segment: 'btea' }, serve: { rollout: 101 } }] },
        b: { enabled: true, variants: { x: 1, y: 2 }, offVariant: 'x', rules: [{ serve: { split: { x: 50, z: 40 } } }] },
        c: { enabled: true, requires: [{ flag: 'd' }, { flag: 'b', variant: 'w' }] },
        '': { enabled: true },
      },
    }
    const problems = configProblems(doc)
    expect(problems.map((p) => p.path)).toEqual([
      'flgs',
      'schemaVersion',
      'segments.beta.op',
      'flags.a.enabled',
      'flags.a.rules[0].serve',
      'flags.a.rules[1].if.segment',
      'flags.a.rules[1].serve.rollout',
      'flags.b.rules[0].serve.split.z',
      'flags.b.rules[0].serve.split',
      'flags[""]',
      'flags.c.requires[0].flag',
      'flags.c.requires[1].variant',
    ])
    for (const p of problems) expect(p).toBeInstanceOf(FlagstageError)
    expect(summary(problems[0])).toEqual(summary(firstProblem(doc)))
    expect(problems[8]!.message).toBe('flags.b.rules[0].serve.split: weights sum to 90 (expected 100)')
  })

  it('gives the expected names and the value got, for "did you mean"', () => {
    const [key, op, variant, segment, flag] = configProblems({
      schemaVersion: 1,
      flags: {
        a: { enabled: true, enabeld: true, rules: [{ if: { attr: 'x', op: 'startswith', value: 'a' }, serve: 'of' }] },
        b: { enabled: true, rules: [{ if: { segment: 'beta' }, serve: 'on' }], requires: [{ flag: 'aa' }] },
      },
    })
    expect(key!.details).toEqual({ expected: ['enabled', 'variants', 'offVariant', 'salt', 'description', 'schedule', 'rules', 'requires'], got: 'enabeld' })
    expect(op!.details?.got).toBe('startswith')
    expect(op!.details?.expected).toContain('startsWith')
    expect(variant!.details).toEqual({ expected: ['on', 'off'], got: 'of' })
    expect(segment!.details).toEqual({ expected: [], got: 'beta' })
    expect(flag!.path).toBe('flags.b.requires[0].flag')
    expect(flag!.details).toEqual({ expected: ['a', 'b'], got: 'aa' })
  })

  it('carries the same details on the error validateConfig throws', () => {
    const error = firstProblem({ schemaVersion: 1, flags: { a: { enabled: true, offVariant: 'onn' } } })
    expect(error?.details).toEqual({ expected: ['on', 'off'], got: 'onn' })
    expect(firstProblem({ schemaVersion: 1, flags: { a: { enabled: 1 } } })?.details).toBeUndefined()
  })

  it('reports every cycle, and each problem once', () => {
    const problems = configProblems({
      schemaVersion: 1,
      segments: { s: { segment: 's' } },
      flags: { a: { enabled: true, requires: [{ flag: 'a' }] }, b: { enabled: true, requires: [{ flag: 'c' }] }, c: { enabled: true, requires: [{ flag: 'b' }] } },
    })
    expect(problems.map((p) => p.message)).toEqual([
      'segments.s.segment: segment cycle: "s" → "s"',
      'flags.a.requires[0].flag: prerequisite cycle: "a" → "a"',
      'flags.c.requires[0].flag: prerequisite cycle: "b" → "c" → "b"',
    ])
  })

  it('starts with the problem validateConfig throws, for every bad fixture', () => {
    const files = readdirSync(BAD).filter((f) => f.endsWith('.json') && f !== 'expected.json')
    expect(files.length).toBeGreaterThan(50)
    for (const file of files) {
      const doc: unknown = JSON.parse(readFileSync(join(BAD, file), 'utf8'))
      const problems = configProblems(doc)
      expect(problems.length, file).toBeGreaterThan(0)
      expect(summary(problems[0]), file).toEqual(summary(firstProblem(doc)))
    }
  })

  it('never throws, and agrees with validateConfig, on mutated configs', () => {
    const base = (): Json => ({
      schemaVersion: 1,
      segments: { beta: { any: [{ attr: 'email', op: 'endsWith', value: '@x.com' }, { not: { attr: 'plan', op: 'in', values: ['free'] } }] } },
      flags: {
        a: { enabled: true, variants: { on: { deep: [1, 'x'] }, off: null }, rules: [{ if: { segment: 'beta' }, serve: 'on' }, { serve: { rollout: 25, by: 'orgId' } }] },
        b: { enabled: true, variants: { x: 'x', y: 'y' }, offVariant: 'x', schedule: { from: '2026-01-01', until: '2027-01-01T00:00:00Z' }, rules: [{ serve: { split: { x: 50, y: 50 } } }] },
        c: { enabled: false, requires: [{ flag: 'a', variant: 'on' }], rules: [{ serve: { rollout: { from: 1, to: 50, start: '2026-01-01', end: '2026-02-01' } } }] },
      },
    })
    // Every path into the base config, as key lists.
    const paths: (string | number)[][] = []
    const collect = (v: unknown, at: (string | number)[]): void => {
      paths.push(at)
      if (v && typeof v == 'object') for (const [k, x] of Object.entries(v)) collect(x, [...at, Array.isArray(v) ? Number(k) : k])
    }
    collect(base(), [])
    const set = (doc: Json, at: (string | number)[], value: unknown): unknown => {
      if (!at.length) return value
      let o = doc as Record<string | number, unknown>
      for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>
      if (value === undefined) delete o[at.at(-1)!]
      else o[at.at(-1)!] = value
      return doc
    }
    const mutation = fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.constantFrom('x', 'on', 'beta', 'a', -1, 101)))
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        let doc: unknown = base()
        for (const [at, value] of mutations) {
          try {
            doc = set(doc as Json, at, value)
          } catch {
            // the path no longer exists after an earlier mutation
          }
        }
        const problems = configProblems(doc)
        expect(summary(problems[0])).toEqual(summary(firstProblem(doc)))
        expect(new Set(problems.map((p) => p.message)).size).toBe(problems.length)
      }),
      { numRuns: 600 },
    )
  })

  it('leaves the fail-fast mode as it was', () => {
    configProblems({ schemaVersion: 1, flags: { a: { enabled: 1 } } })
    expect(() => validateConfig({ schemaVersion: 1, flags: { a: { enabled: 1 } } })).toThrow('flags.a.enabled: expected true or false, got 1')
  })
})

// FlagstageErrorOptions takes details, for errors built elsewhere (a CLI, a translator).
const options: FlagstageErrorOptions = { path: 'flags.a', details: { expected: ['on'], got: 'of' } }
void options
