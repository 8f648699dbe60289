import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createClient, isFlagstageError, matchesOperator, registerOperators, validateConfig, type Config, type FlagConfig } from 'flagstage'

registerOperators(matchesOperator)
// Internal step counters (issue #9): work is counted in steps, never in milliseconds.
import { resolveWork } from '../../src/core/evaluate.ts'
import { compileRegex, MAX_PROGRAM, regexWork } from '../../src/core/regex.ts'
import { createClient as createClientSrc } from '../../src/core/client.ts'

const problem = (config: unknown): { path?: string; message: string } => {
  try {
    validateConfig(config)
  } catch (error) {
    expect(isFlagstageError(error)).toBe(true)
    return error as { path?: string; message: string }
  }
  throw new Error('expected the config to be rejected')
}

/** `layers` layers of `width` flags; every flag requires all flags of the layer below. */
const layered = (layers: number, width: number): Config => {
  const flags: Record<string, FlagConfig> = {}
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      const requires = l ? Array.from({ length: width }, (_, k) => ({ flag: `f${l - 1}_${k}` })) : undefined
      flags[`f${l}_${w}`] = { enabled: true, ...(requires && { requires }), rules: [{ serve: 'on' }] }
    }
  }
  return { schemaVersion: 1, flags }
}
const chain = (n: number): Config => {
  const flags: Record<string, FlagConfig> = {}
  for (let i = 0; i < n; i++) flags[`c${i}`] = { enabled: true, ...(i && { requires: [{ flag: `c${i - 1}` }] }), rules: [{ serve: 'on' }] }
  return { schemaVersion: 1, flags }
}
const segmentChain = (n: number): Config => {
  const segments: NonNullable<Config['segments']> = { s0: { attr: 'plan', op: 'eq', value: 'pro' } }
  for (let i = 1; i < n; i++) segments[`s${i}`] = { segment: `s${i - 1}` }
  return { schemaVersion: 1, segments, flags: { f: { enabled: true, rules: [{ if: { segment: `s${n - 1}` }, serve: 'on' }] } } }
}

describe('bounded work per evaluation', () => {
  it('evaluates each prerequisite at most once: 17 layers of 3 cost 51 resolves, not 3^17', () => {
    const client = createClientSrc({ bootstrap: layered(17, 3) })
    resolveWork.steps = 0
    expect(client.forContext({}).isEnabled('f16_0')).toBe(true)
    expect(resolveWork.steps).toBeLessThanOrEqual(17 * 3)
    client.close()
  })

  it('counts exactly one resolve per flag reached: the flag and its 16 layers of 3 make 49, on every evaluation', () => {
    // Pins the counter itself, so the bound above cannot be met by a counter that never counts up.
    const client = createClientSrc({ bootstrap: layered(17, 3) })
    const reader = client.forContext({})
    for (const [key, resolves] of [['f16_0', 1 + 16 * 3], ['f16_0', 1 + 16 * 3], ['f1_2', 1 + 3]] as const) {
      resolveWork.steps = 0
      expect(reader.explain(key).value).toBe(true)
      expect(resolveWork.steps).toBe(resolves)
    }
    // A flag without prerequisites whose first rule serves everyone answers from the compiled flag: no resolve.
    resolveWork.steps = 0
    expect(reader.isEnabled('f0_0')).toBe(true)
    expect(resolveWork.steps).toBe(0)
    client.close()
  })

  it('serves a chain deeper than 16 prerequisites correctly (it served DISABLED before)', () => {
    const client = createClient({ bootstrap: chain(64) })
    expect(client.forContext({}).explain('c63')).toMatchObject({ value: true, reason: 'STATIC' })
    client.close()
  })

  it('rejects a prerequisite chain deeper than 64 at validation, with the path of the chain', () => {
    const error = problem(chain(66))
    expect(error.path).toMatch(/^flags\.c\d+\.requires\[0\]\.flag$/)
    expect(error.message).toContain('prerequisite chain deeper than 64')
  })

  it('rejects a chain of 20,000 segments at validation (it failed at evaluation before) and serves a 64-deep one', () => {
    const error = problem(segmentChain(20_000))
    expect(error.path).toMatch(/^segments\.s\d+\.segment$/)
    expect(error.message).toContain('segment chain deeper than 64')
    const client = createClient({ bootstrap: segmentChain(64) })
    expect(client.forContext({ plan: 'pro' }).explain('f')).toMatchObject({ value: true, reason: 'TARGETING_MATCH' })
    client.close()
  })

  it('tests each segment once per evaluation: a lattice of 20 segments reached by 2^20 paths reads the attribute once', () => {
    // s_i requires s_{i+1} twice (all of two references), so without a per-evaluation memo the leaf is read 2^20 times (a 60-deep one would never return).
    const segments: NonNullable<Config['segments']> = { s20: { attr: 'plan', op: 'eq', value: 'pro' } }
    for (let i = 19; i >= 0; i--) segments[`s${i}`] = { all: [{ segment: `s${i + 1}` }, { not: { not: { segment: `s${i + 1}` } } }] }
    const client = createClient({ bootstrap: { schemaVersion: 1, segments, flags: { f: { enabled: true, rules: [{ if: { segment: 's0' }, serve: 'on' }] } } } })
    let reads = 0
    const context = { get plan() { reads++; return 'pro' } }
    const flags = client.forContext(context)
    expect(flags.isEnabled('f')).toBe(true)
    expect(reads).toBe(1)
    // A new evaluation reads again (the memo never outlives one evaluation), and a different context is tested anew.
    expect(flags.isEnabled('f')).toBe(true)
    expect(reads).toBe(2)
    expect(client.forContext({ plan: 'free' }).isEnabled('f')).toBe(false)
    client.close()
  })

  it('bounds the steps of one evaluation over generated prerequisite graphs and regexes', () => {
    const patterns = ['^(a+)+$', '(a|a)*b', '(x+x+)+y', '^[a-z]+@example\\.com$', '\\d{2,5}', '(a*)*$']
    const flagDef = (i: number): fc.Arbitrary<FlagConfig> =>
      fc.record({
        enabled: fc.boolean(),
        requires: fc.uniqueArray(fc.nat({ max: Math.max(0, i - 1) }), { maxLength: i ? 3 : 0 }).map((ks) => ks.map((k) => ({ flag: `f${k}` }))),
        pattern: fc.constantFrom(...patterns),
      }).map(({ enabled, requires, pattern }) => ({
        enabled, requires, rules: [{ if: { attr: 'email', op: 'matches' as const, value: pattern }, serve: 'on' }, { serve: 'off' }],
      }))
    const config = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => flagDef(i))).map((defs): Config => ({
        schemaVersion: 1, flags: Object.fromEntries(defs.map((d, i) => [`f${i}`, d])),
      })),
    )
    const email = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'x', '@', '.'), maxLength: 2_000 }), fc.constant('a'.repeat(2_000) + '!'))
    fc.assert(
      fc.property(config, email, (cfg, value) => {
        const n = Object.keys(cfg.flags).length
        const client = createClientSrc({ bootstrap: cfg })
        expect(client.status().state).toBe('ready') // the config is live: the bounds below are not met by an empty client
        const reader = client.forContext({ email: value })
        const perTest = 2 * Math.max(...patterns.map((p) => (typeof compileRegex(p) === 'function' ? MAX_PROGRAM : 0))) * (value.length + 1)
        for (const key of Object.keys(cfg.flags)) {
          resolveWork.steps = 0
          regexWork.steps = 0
          reader.isEnabled(key)
          expect(resolveWork.steps).toBeLessThanOrEqual(n) // each flag at most once
          expect(regexWork.steps).toBeLessThanOrEqual(n * perTest) // one regex per flag, each linear in the input
          expect(regexWork.steps).toBeLessThanOrEqual(n * 2 * 40 * (value.length + 1)) // these patterns compile small
        }
        client.close()
      }),
      { numRuns: 60 },
    )
  })
})
