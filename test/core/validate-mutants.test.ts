// What surviving mutants of validate.ts showed untested (issue #17): the checks of serve.hash, rollout
// `then`, `by` lists, prerequisite variant lists and `enabled`, and the gist of each message at its path
// (a clear error naming what is wrong and where is the product; punctuation is not pinned).
import { describe, expect, it } from 'vitest'
import { rejection } from '../helpers/rejection.ts'
import { FlagstageError } from '../../src/core/errors.ts'
import { inCidrOperator } from '../../src/core/in-cidr.ts'
import { registerOperators } from '../../src/core/operators.ts'
import { configProblems, MAX_NESTING_DEPTH, validateConfig } from '../../src/core/validate.ts'

registerOperators(inCidrOperator)

type Json = Record<string, unknown>

const problem = (config: unknown): FlagstageError => rejection(config)
/** The first problem as `path: message` (the message starts with the path). */
const first = (config: unknown): string => problem(config).message
const ok = (config: Json): void => {
  expect(validateConfig(config)).toBe(config)
}
const flags = (f: Json, extra: Json = {}): Json => ({ schemaVersion: 1, ...extra, flags: f })
const flag = (f: Json): Json => flags({ a: f })
const serving = (serve: unknown, f: Json = {}): Json => flag({ enabled: true, ...f, rules: [{ serve }] })
const when = (condition: unknown): Json => flag({ enabled: true, rules: [{ if: condition, serve: 'on' }] })
const S = 'flags.a.rules[0].serve'
const C = 'flags.a.rules[0].if'
const AB = { variants: { a: 1, b: 2 }, offVariant: 'a' }

describe('validateConfig: serve.hash', () => {
  const hashed = (hash: unknown, serve: Json = { rollout: 50 }): Json => serving({ ...serve, hash })

  it('accepts every field at its bounds', () => {
    ok(hashed({ prefix: 'grp:', seed: 0, buckets: 1, map: 'mod' }))
    ok(hashed({ seed: 2 ** 32 - 1, buckets: 2 ** 32, map: 'scale' }))
    ok(hashed({ map: 'abs' }))
    ok(hashed({}))
  })

  it('rejects a hash that is no object, or has unknown keys', () => {
    expect(first(hashed('murmur3'))).toBe(`${S}.hash: expected an object, got "murmur3"`)
    expect(first(hashed({ seeds: 1 }))).toContain(`${S}.hash.seeds: unexpected key "seeds" (expected one of prefix, seed, buckets, map)`)
  })

  it('rejects a prefix that is not a string', () => {
    expect(first(hashed({ prefix: 1 }))).toBe(`${S}.hash.prefix: expected a string, got 1`)
  })

  it.each([-1, 2 ** 32, 1.5, '7', null])('rejects seed %j, naming the range', (seed) => {
    expect(first(hashed({ seed }))).toMatch(new RegExp(`^${S.replace(/[.[\]]/g, '\\$&')}\\.hash\\.seed: expected an integer from 0 to 4294967295, got `))
  })

  it.each([0, 2 ** 32 + 1, 2.5, '100'])('rejects buckets %j, naming the range', (buckets) => {
    expect(first(hashed({ buckets }))).toContain(`${S}.hash.buckets: expected an integer from 1 to 4294967296, got`)
  })

  it.each(['MOD', 'floor', 1])('rejects map %j, listing the maps', (map) => {
    const error = problem(hashed({ map }))
    expect(error.path).toBe(`${S}.hash.map`)
    expect(error.message).toContain('expected one of mod, scale, abs')
    expect(error.details).toEqual({ expected: ['mod', 'scale', 'abs'], got: map })
  })

  it('takes split weights as relative with buckets: any positive sum, not zero', () => {
    ok(serving({ split: { a: 1, b: 2 }, hash: { buckets: 3 } }, AB))
    expect(first(serving({ split: { a: 0, b: 0 }, hash: { buckets: 3 } }, AB))).toBe(`${S}.split: expected weights with a positive sum, got an object`)
    // Without buckets (a hash with a seed only) the weights are percentages again.
    expect(first(serving({ split: { a: 1, b: 2 }, hash: { seed: 3 } }, AB))).toContain(`${S}.split: weights sum to 3 (expected 100)`)
  })

  it('checks the hash of a split too, before its weights', () => {
    expect(problem(serving({ split: { a: 50, b: 50 }, hash: { seed: -1 } }, AB)).path).toBe(`${S}.hash.seed`)
  })
})

describe('validateConfig: the kind of a serve', () => {
  it('says a serve must be a variant name or an object', () => {
    expect(first(serving(true))).toBe(`${S}: expected a variant name or an object, got true`)
    expect(first(serving([]))).toBe(`${S}: expected a variant name or an object, got an empty array`)
  })

  it('says a serve object takes rollout or split, and checks its keys first', () => {
    expect(first(serving({ by: 'userId' }))).toBe(`${S}: expected rollout or split`)
    expect(first(serving({ rollout: 5, split: { on: 100 } }))).toBe(`${S}: expected rollout or split`)
    expect(problem(serving({ by: 'userId', vairant: 'on' })).path).toBe(`${S}.vairant`)
  })

  it('says what a rollout must be', () => {
    expect(first(serving({ rollout: 101 }))).toBe(`${S}.rollout: expected 0 to 100, got 101`)
    expect(first(serving({ rollout: 33.333 }))).toBe(`${S}.rollout: expected at most two decimals, got 33.333`)
  })

  it('says what a split weight must be, and names unknown variants', () => {
    expect(first(serving({ split: { a: -1, b: 101 } }, AB))).toBe(`${S}.split.a: expected a weight >= 0, got -1`)
    const error = problem(serving({ split: { a: 50, c: 50 } }, AB))
    expect(error.message).toBe(`${S}.split.c: expected one of a, b, got "c"`)
    expect(error.details).toEqual({ expected: ['a', 'b'], got: 'c' })
    expect(first(serving({ split: [] }, AB))).toBe(`${S}.split: expected an object, got an empty array`)
  })
})

describe('validateConfig: by', () => {
  it('takes a non-empty list of attribute names', () => {
    ok(serving({ rollout: 5, by: ['orgId', 'userId'] }))
    ok(serving({ split: { on: 100 }, by: ['orgId'] }))
    expect(first(serving({ rollout: 5, by: [] }))).toBe(`${S}.by: expected a non-empty array, got an empty array`)
    expect(first(serving({ rollout: 5, by: ['orgId', ''] }))).toBe(`${S}.by[1]: expected a non-empty string, got ""`)
    expect(problem(serving({ rollout: 5, by: ['orgId', 7] })).path).toBe(`${S}.by[1]`)
  })

  it('says a by name must be a non-empty string', () => {
    expect(first(serving({ rollout: 5, by: '' }))).toBe(`${S}.by: expected a non-empty string, got ""`)
    expect(first(serving({ rollout: 5, by: {} }))).toBe(`${S}.by: expected a non-empty string, got an object`)
  })
})

describe('validateConfig: rollout then', () => {
  const then = (t: unknown, serve: Json = {}): Json => serving({ rollout: 50, ...serve, then: t }, AB)

  it('accepts a split after a rollout, with its own unit, salt and hash', () => {
    ok(then({ split: { a: 50, b: 50 } }))
    ok(then({ split: { a: 1, b: 3 }, by: 'sessionId', salt: 's', hash: { buckets: 4 } }))
  })

  it('takes no variant beside then', () => {
    expect(first(then({ split: { a: 50, b: 50 } }, { variant: 'b' }))).toBe(`${S}.variant: a rollout with "then" takes no variant`)
  })

  it.each([['a variant name', 'b'], ['a rollout', { rollout: 10 }], ['a rollout with a split', { rollout: 10, split: { a: 100 } }], ['no split', { by: 'x' }], ['null', null]])(
    'rejects %s as then: it must be a split',
    (_what, t) => {
      expect(first(then(t))).toMatch(/^flags\.a\.rules\[0\]\.serve\.then: expected a split, got /)
    },
  )

  it('checks the split inside then at its path', () => {
    expect(first(then({ split: { a: 50, c: 50 } }))).toBe(`${S}.then.split.c: expected one of a, b, got "c"`)
    expect(first(then({ split: { a: 50, b: 40 } }))).toContain(`${S}.then.split: weights sum to 90`)
    expect(problem(then({ split: { a: 50, b: 50 }, variant: 'a' })).path).toBe(`${S}.then.variant`)
    expect(problem(then({ split: { a: 50, b: 50 }, by: '' })).path).toBe(`${S}.then.by`)
  })

  it('takes the relative weights of the outer hash only where it is given', () => {
    // The outer rollout's buckets do not make the inner split's weights relative.
    expect(first(then({ split: { a: 1, b: 2 } }, { hash: { buckets: 100 } }))).toContain(`${S}.then.split: weights sum to 3`)
  })
})

describe('validateConfig: prerequisites', () => {
  const c = { enabled: true, variants: { light: 1, dark: 2 }, offVariant: 'light' }
  const requiring = (r: unknown): Json => flags({ a: { enabled: true, requires: [r] }, c })
  const R = 'flags.a.requires[0]'

  it('takes a list of variants, each one of the flag\'s', () => {
    ok(requiring({ flag: 'c', variant: ['light', 'dark'] }))
    ok(requiring({ flag: 'c', variant: [] }))
    const error = problem(requiring({ flag: 'c', variant: ['light', 'dim'] }))
    expect(error.message).toBe(`${R}.variant[1]: expected one of light, dark, got "dim"`)
    expect(error.details).toEqual({ expected: ['light', 'dark'], got: 'dim' })
    expect(first(requiring({ flag: 'c', variant: ['light', ''] }))).toBe(`${R}.variant[1]: expected a non-empty string, got ""`)
    expect(first(requiring({ flag: 'c', variant: 'dim' }))).toBe(`${R}.variant: expected one of light, dark, got "dim"`)
  })

  it('takes enabled as true or false, without a variant', () => {
    ok(requiring({ flag: 'c', enabled: false }))
    ok(requiring({ flag: 'c', enabled: true }))
    expect(first(requiring({ flag: 'c', enabled: 'yes' }))).toBe(`${R}.enabled: expected true or false, got "yes"`)
    expect(first(requiring({ flag: 'c', enabled: true, variant: 'dark' }))).toBe(`${R}.variant: takes "variant" or "enabled", not both`)
  })

  it('does not read a default "on" variant for an enabled prerequisite', () => {
    // c has no "on" variant; { enabled } asks only whether it is on.
    ok(requiring({ flag: 'c', enabled: true }))
    expect(problem(requiring({ flag: 'c' })).path).toBe(`${R}.variant`)
  })

  it('checks the variants of the flag required, not of the flag requiring', () => {
    const doc = flags({ a: { enabled: true, variants: { dim: 1, off: 0 }, requires: [{ flag: 'c', variant: 'dim' }] }, c })
    expect(first(doc)).toBe(`${R}.variant: expected one of light, dark, got "dim"`)
    // A required flag without variants has on and off.
    ok(flags({ a: { enabled: true, variants: { x: 1, off: 0 }, requires: [{ flag: 'b', variant: 'off' }] }, b: { enabled: true } }))
    expect(problem(flags({ a: { enabled: true, requires: [{ flag: 'b', variant: 'x' }] }, b: { enabled: true } })).path).toBe(`${R}.variant`)
  })

  it('lists every flag key when the flag required is unknown', () => {
    const error = problem(requiring({ flag: 'd' }))
    expect(error.message).toBe(`${R}.flag: expected one of a, c, got "d"`)
    expect(error.details).toEqual({ expected: ['a', 'c'], got: 'd' })
  })

  it('reports the problems of every prerequisite, of every flag, in all-problems mode', () => {
    const problems = configProblems(flags({
      a: { enabled: true, requires: [{ flag: 'x' }, 'b', { flag: 'c', variant: ['dim', 'light', 'dusk'] }] },
      b: { enabled: true, requires: [{ flag: 'y' }] },
      c,
    }))
    expect(problems.map((p) => p.path)).toEqual([
      'flags.a.requires[1]',
      'flags.a.requires[0].flag',
      'flags.a.requires[2].variant[0]',
      'flags.a.requires[2].variant[2]',
      'flags.b.requires[0].flag',
    ])
  })
})

describe('validateConfig: schedules and ramps', () => {
  const ramp = (r: Json): Json => serving({ rollout: { from: 5, to: 100, start: '2026-12-01T09:00:00Z', end: '2026-12-08T09:00:00Z', ...r } })
  const R = `${S}.rollout`

  it('says what a ramp field must be', () => {
    expect(first(ramp({ from: -1 }))).toBe(`${R}.from: expected 0 to 100, got -1`)
    expect(first(ramp({ to: 'all' }))).toBe(`${R}.to: expected 0 to 100, got "all"`)
    expect(first(ramp({ start: 'monday' }))).toBe(`${R}.start: expected an ISO 8601 date or zoned date-time, got "monday"`)
    expect(first(ramp({ end: undefined }))).toBe(`${R}.end: missing (expected an ISO 8601 date or zoned date-time)`)
    expect(first(ramp({ end: '2026-12-01T08:00:00Z' }))).toBe(`${R}.end: expected a later time, got "2026-12-01T08:00:00Z"`)
  })

  it('accepts from and to at 0 and 100, and fractions', () => {
    ok(ramp({ from: 0, to: 100 }))
    ok(ramp({ from: 0.5, to: 99.5 }))
    expect(problem(ramp({ to: 100.5 })).path).toBe(`${R}.to`)
  })

  it('does not compare an end with a start that is not a time', () => {
    // One problem, at start: the end is not "earlier" than a start that could not be read.
    expect(configProblems(ramp({ start: 'monday', end: '2020-01-01' })).map((p) => p.path)).toEqual([`${R}.start`])
  })

  it('compares each until with its own from, not with an earlier flag\'s', () => {
    ok(flags({ a: { enabled: true, schedule: { from: '2027-01-01' } }, b: { enabled: true, schedule: { until: '2026-01-01' } } }))
    ok(flags({
      a: { enabled: true, rules: [{ serve: { rollout: { from: 0, to: 100, start: '2027-01-01', end: '2027-02-01' } } }] },
      b: { enabled: true, schedule: { until: '2026-01-01' } },
    }))
    expect(first(flag({ enabled: true, schedule: { from: '2027-01-01', until: '2026-12-31T23:59:59Z' } })))
      .toBe('flags.a.schedule.until: expected a later time, got "2026-12-31T23:59:59Z"')
  })

  it('accepts date-times with seconds, fractions and offsets, and rejects other forms', () => {
    ok(flag({ enabled: true, schedule: { from: '2026-12-01T09:00Z', until: '2026-12-01T11:00:00.123456789+01:00' } }))
    ok(flag({ enabled: true, schedule: { from: '2026-12-01T23:59:59-23:59' } }))
    for (const from of ['2026-12-01T09:00:00.1234567890Z', '2026-12-01T09:60Z', '2026-12-01T09:00:60Z', '2026-12-01T09:00+24:00', '2026-12-01T09:00+01:60', '2026-12-1', ' 2026-12-01', '2026-12-01Z']) {
      expect(problem(flag({ enabled: true, schedule: { from } })).path, from).toBe('flags.a.schedule.from')
    }
  })
})

describe('validateConfig: condition operands', () => {
  it('says what each operand must be', () => {
    expect(first(when({ attr: 'n', op: 'gt', value: '1' }))).toBe(`${C}.value: expected a number, got "1"`)
    expect(first(when({ attr: 'v', op: 'semverGte', value: 'one' }))).toBe(`${C}.value: expected a version like 1.2.3, got "one"`)
    expect(first(when({ attr: 'd', op: 'before', value: 'soon' }))).toBe(`${C}.value: expected an ISO 8601 date or zoned date-time, got "soon"`)
    expect(first(when({ attr: 'p', op: 'eq', value: null }))).toBe(`${C}.value: expected a string, number or boolean, got null`)
    expect(first(when({ attr: 'p', op: 'in', values: 'pro' }))).toBe(`${C}.values: expected an array, got "pro"`)
    expect(first(when({ attr: 'p', op: 'in', values: [{}] }))).toBe(`${C}.values[0]: expected a string, number or boolean, got an object`)
    expect(first(when({ attr: 'p', op: 'eq', value: 'x', caseInsensitive: 'yes' }))).toBe(`${C}.caseInsensitive: expected true or false, got "yes"`)
  })

  it('says which operand an operator does not take', () => {
    expect(first(when({ attr: 'p', op: 'in', values: ['x'], value: 'x' }))).toBe(`${C}.value: in takes no "value"`)
    expect(first(when({ attr: 'p', op: 'eq', value: 'x', values: ['x'] }))).toBe(`${C}.values: eq takes no "values"`)
    expect(first(when({ attr: 'p', op: 'exists', value: 1 }))).toBe(`${C}.value: exists takes no "value"`)
  })

  it('accepts caseInsensitive false and an epoch for before/after', () => {
    ok(when({ attr: 'p', op: 'eq', value: 'x', caseInsensitive: false }))
    ok(when({ attr: 'd', op: 'before', value: 0 }))
  })

  it('says all and any take a non-empty list of conditions', () => {
    expect(first(when({ all: [] }))).toBe(`${C}.all: expected a non-empty array, got an empty array`)
    expect(first(when({ any: 'x' }))).toBe(`${C}.any: expected a non-empty array, got "x"`)
    expect(first(when({ any: [{ attr: 'x', op: 'exists' }, 'x'] }))).toBe(`${C}.any[1]: expected an object, got "x"`)
  })

  it('names an attr that is empty or no string', () => {
    expect(first(when({ attr: '', op: 'exists' }))).toBe(`${C}.attr: expected a non-empty string, got ""`)
    expect(first(when({ attr: 7, op: 'exists' }))).toBe(`${C}.attr: expected a non-empty string, got 7`)
  })
})

describe('validateConfig: flags and the root', () => {
  it('says what each flag field must be', () => {
    expect(first(flag({ enabled: 'yes' }))).toBe('flags.a.enabled: expected true or false, got "yes"')
    expect(first(flag({ enabled: true, salt: 1 }))).toBe('flags.a.salt: expected a string, got 1')
    expect(first(flag({ enabled: true, description: false }))).toBe('flags.a.description: expected a string, got false')
    expect(first(flag({ enabled: true, rules: {} }))).toBe('flags.a.rules: expected an array, got an object')
    expect(first(flag({ enabled: true, rules: ['on'] }))).toBe('flags.a.rules[0]: expected an object, got "on"')
    expect(first(flag({ enabled: true, requires: {} }))).toBe('flags.a.requires: expected an array, got an object')
    expect(first(flag({ enabled: true, variants: [] }))).toBe('flags.a.variants: expected an object, got an empty array')
    expect(first(flag({ enabled: true, variants: {} }))).toBe('flags.a.variants: expected at least one variant')
    expect(first(flag({ enabled: true, schedule: 'now' }))).toBe('flags.a.schedule: expected an object, got "now"')
    expect(first(flags({ a: [] }))).toBe('flags.a: expected an object, got an empty array')
  })

  it('accepts offVariant null, and a flag whose variants include off without an offVariant', () => {
    ok(flag({ enabled: true, variants: { x: 1, y: 2 }, offVariant: null }))
    ok(flag({ enabled: true, variants: { x: 1, off: 2 } }))
    ok(flag({ enabled: true, offVariant: 'off' }))
  })

  it('says what the root fields must be', () => {
    expect(first({ schemaVersion: 1, flags: {}, revision: 1 })).toBe('revision: expected a string, got 1')
    expect(first({ schemaVersion: 1, flags: {}, meta: 'x' })).toBe('meta: expected an object, got "x"')
    expect(first({ schemaVersion: 1, flags: {}, segments: [] })).toBe('segments: expected an object, got an empty array')
    expect(first({ schemaVersion: 1, flags: [] })).toBe('flags: expected an object, got an empty array')
    expect(first({ schemaVersion: 1 })).toBe('flags: missing (expected an object)')
  })

  it('checks meta as JSON, at its path', () => {
    ok({ schemaVersion: 1, flags: {}, meta: { by: ['ci', 1, null, { deep: true }] } })
    expect(first({ schemaVersion: 1, flags: {}, meta: { by: [Number.NaN] } })).toBe('meta.by[0]: expected a JSON value, got NaN')
  })
})

describe('validateConfig: inherited keys are not data', () => {
  /** An object whose own keys are `own` and whose prototype carries `inherited` (enumerable, seen by for-in). */
  const withProto = (inherited: Json, own: Json): Json => Object.assign(Object.create(inherited) as Json, own)

  it('ignores inherited keys of a variant value', () => {
    ok(flag({ enabled: true, variants: { on: withProto({ bad: Number.NaN }, { good: 1 }), off: 0 } }))
  })

  it('ignores inherited variants: a variants object with none of its own has no variant', () => {
    expect(first(flag({ enabled: true, variants: withProto({ on: 1, off: 0 }, {}) }))).toBe('flags.a.variants: expected at least one variant')
  })

  it('ignores inherited split weights', () => {
    ok(serving({ split: withProto({ c: 50 }, { a: 50, b: 50 }) }, AB))
  })

  it('ignores inherited segments', () => {
    ok(flags({ a: { enabled: true } }, { segments: withProto({ bad: 'not a condition' }, { s: { attr: 'x', op: 'exists' } }) }))
  })
})

describe('validateConfig: nesting is counted per level', () => {
  /** An object nested `n` levels deep whose innermost value is `leaf`. */
  const nested = (n: number, leaf: unknown = 1): unknown => {
    let v = leaf
    for (let i = 0; i < n; i++) v = { k: v }
    return v
  }
  const valued = (on: unknown): Json => flag({ enabled: true, variants: { on, off: 0 } })

  it(`accepts null at the innermost of ${MAX_NESTING_DEPTH} levels, like any other scalar`, () => {
    ok(valued(nested(MAX_NESTING_DEPTH, null)))
    ok(valued(nested(MAX_NESTING_DEPTH, 'x')))
  })

  it('does not add up siblings: many objects side by side are one level each', () => {
    ok(valued(Array.from({ length: MAX_NESTING_DEPTH * 2 }, (_, i) => ({ i }))))
    ok(flag({ enabled: true, variants: Object.fromEntries(Array.from({ length: MAX_NESTING_DEPTH * 2 }, (_, i) => [`v${i}`, { i }])), offVariant: 'v0' }))
  })

  it('reports a too-deep value or condition once in all-problems mode, and checks no deeper', () => {
    const deep = configProblems(valued(nested(MAX_NESTING_DEPTH + 10, Number.NaN)))
    expect(deep.map((p) => p.message)).toEqual([`flags.a.variants.on${'.k'.repeat(MAX_NESTING_DEPTH)}: nested deeper than ${MAX_NESTING_DEPTH} levels`])
    let c: unknown = { attr: 'x', op: 'nope' }
    for (let i = 0; i < MAX_NESTING_DEPTH + 10; i++) c = { not: c }
    const conditions = configProblems(when(c))
    expect(conditions).toHaveLength(1)
    expect(conditions[0]!.message).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`)
  })
})

describe('validateConfig: all-problems mode after a value of the wrong kind', () => {
  it('reports a hash that is null once, and goes on', () => {
    const problems = configProblems(serving({ rollout: 50, hash: null, salt: 1 }))
    expect(problems.map((p) => p.path)).toEqual([`${S}.salt`, `${S}.hash`])
  })

  it('reports an end that is no time once, not also as earlier than its start', () => {
    const problems = configProblems(serving({ rollout: { from: 0, to: 100, start: '2026-12-01', end: 'never' } }))
    expect(problems.map((p) => p.message)).toEqual([`${S}.rollout.end: expected an ISO 8601 date or zoned date-time, got "never"`])
    const schedule = configProblems(flag({ enabled: true, schedule: { from: '2026-12-01', until: 'later' } }))
    expect(schedule.map((p) => p.path)).toEqual(['flags.a.schedule.until'])
  })
})

describe('validateConfig: inCidr operands', () => {
  it('takes values, not value, and names the operator', () => {
    ok(when({ attr: 'ip', op: 'inCidr', values: ['10.0.0.0/8', '::1'] }))
    expect(first(when({ attr: 'ip', op: 'inCidr', values: ['10.0.0.0/8'], value: '10.0.0.0/8' }))).toBe(`${C}.value: inCidr takes no "value"`)
    expect(problem(when({ attr: 'ip', op: 'inCidr', values: ['10.0.0.0/8', 'ten'] })).path).toBe(`${C}.values[1]`)
    expect(problem(when({ attr: 'ip', op: 'inCidr', value: '10.0.0.0/8' })).path).toBe(`${C}.value`)
  })
})
