import { describe, expect, it } from 'vitest'
import { rejection } from '../helpers/rejection.ts'
import { FlagstageError } from '../../src/core/errors.ts'
import { describeValue, expectedOneOf, formatPath } from '../../src/core/json-path.ts'
import { MAX_NESTING_DEPTH, MAX_REGEX_LENGTH, validateConfig } from '../../src/core/validate.ts'
import { inCidrOperator } from '../../src/core/in-cidr.ts'
import { matchesOperator } from '../../src/core/matches.ts'
import { registerOperators } from '../../src/core/operators.ts'
// matches and inCidr are opt-in operators (test/core/operators.test.ts: configs that use them unregistered).
registerOperators(matchesOperator, inCidrOperator)

type Json = Record<string, unknown>

const problem = (config: unknown): FlagstageError => rejection(config)
const pathOf = (config: unknown): string | undefined => problem(config).path
const flags = (f: Json, extra: Json = {}): Json => ({ schemaVersion: 1, ...extra, flags: f })
const flag = (f: Json, extra: Json = {}): Json => flags({ a: f }, extra)
const rules = (...r: unknown[]): Json => flag({ enabled: true, rules: r })
const serving = (serve: unknown, f: Json = {}): Json => flag({ enabled: true, ...f, rules: [{ serve }] })
const when = (condition: unknown, extra: Json = {}): Json =>
  flag({ enabled: true, rules: [{ if: condition, serve: 'on' }] }, extra)
const R = 'flags.a.rules[0]'

describe('validateConfig', () => {
  describe('returns', () => {
    it('returns the same object, unchanged, when the config is valid', () => {
      const config = flag({ enabled: true, rules: [{ serve: { rollout: 25 } }] })
      const before = JSON.stringify(config)
      expect(validateConfig(config)).toBe(config)
      expect(JSON.stringify(config)).toBe(before)
    })

    it('throws a FlagstageError whose message starts with the path', () => {
      const error = problem(flag({ enabled: 'yes' }, {}))
      expect(error.path).toBe('flags.a.enabled')
      expect(error.message).toBe('flags.a.enabled: expected true or false, got "yes"')
      expect(error.name).toBe('FlagstageError')
    })

    it('keeps validating correctly after a failed call', () => {
      problem(when({ not: { not: { attr: 'x', op: 'nope' } } }))
      expect(pathOf(flag({ enabled: 1 }))).toBe('flags.a.enabled')
      expect(validateConfig(flag({ enabled: true }))).toBeTruthy()
    })
  })

  describe('the root', () => {
    it.each([null, [], 'config', 1, undefined])('rejects a root that is %j', (root) => {
      const error = problem(root)
      expect(error.path).toBe('')
      expect(error.message).toMatch(/^(expected an object, got |missing \(expected an object\))/)
    })

    it.each([2, '1', undefined, 0])('rejects schemaVersion %j', (schemaVersion) => {
      expect(pathOf({ schemaVersion, flags: {} })).toBe('schemaVersion')
    })

    it('says whether schemaVersion is missing or unsupported', () => {
      expect(problem({ flags: {} }).message).toBe('schemaVersion: missing (expected 1)')
      expect(problem({ schemaVersion: 2, flags: {} }).message).toBe('schemaVersion: expected 1, got 2')
    })

    it('rejects a revision that is not a string', () => {
      expect(pathOf({ schemaVersion: 1, revision: 42, flags: {} })).toBe('revision')
    })

    it('rejects missing flags', () => {
      const error = problem({ schemaVersion: 1 })
      expect(error.path).toBe('flags')
      expect(error.message).toContain('missing')
    })

    it.each([[], null, 'flags', true])('rejects flags that are %j', (value) => {
      expect(pathOf({ schemaVersion: 1, flags: value })).toBe('flags')
    })

    it('allows $schema, description and meta at the root', () => {
      const config = { $schema: './node_modules/flagstage/schema.json', description: 'prod', meta: { by: 'ci' }, schemaVersion: 1, flags: {} }
      expect(validateConfig(config)).toBe(config)
    })

    it('rejects other unknown keys at the root, listing the known ones', () => {
      const error = problem({ schemaVersion: 1, flags: {}, segmets: {} })
      expect(error.path).toBe('segmets')
      expect(error.message).toContain('unexpected key "segmets" (expected one of schemaVersion, revision, $schema, description, meta, segments, flags)')
    })

    it('rejects meta that is not an object, and $schema or description that are not strings', () => {
      expect(pathOf({ schemaVersion: 1, flags: {}, meta: [] })).toBe('meta')
      expect(pathOf({ schemaVersion: 1, flags: {}, $schema: 1 })).toBe('$schema')
      expect(pathOf({ schemaVersion: 1, flags: {}, description: null })).toBe('description')
    })
  })

  describe('flags', () => {
    it.each([true, null, [], 'on'])('rejects a flag that is %j', (value) => {
      expect(pathOf(flags({ 'new-checkout': value }))).toBe('flags["new-checkout"]')
    })

    it('rejects an empty flag key', () => {
      expect(pathOf(flags({ '': { enabled: true } }))).toBe('flags[""]')
    })

    it.each([undefined, 'true', 1, null])('rejects enabled %j', (enabled) => {
      expect(pathOf(flag({ enabled }))).toBe('flags.a.enabled')
    })

    it('rejects unknown flag keys but allows description', () => {
      expect(pathOf(flag({ enabled: true, enable: true }))).toBe('flags.a.enable')
      expect(validateConfig(flag({ enabled: true, description: 'why' }))).toBeTruthy()
      expect(pathOf(flag({ enabled: true, description: 5 }))).toBe('flags.a.description')
    })

    it.each([[], 'on', null])('rejects variants that are %j', (variants) => {
      expect(pathOf(flag({ enabled: true, variants }))).toBe('flags.a.variants')
    })

    it('rejects an empty variants object', () => {
      expect(problem(flag({ enabled: true, variants: {} })).message).toContain('at least one variant')
    })

    it('accepts any JSON as a variant value, and rejects what JSON cannot carry', () => {
      const ok = { a: null, b: [1, { c: 'd' }], e: { f: [true] }, off: 0 }
      expect(validateConfig(flag({ enabled: true, variants: ok }))).toBeTruthy()
      expect(pathOf(flag({ enabled: true, variants: { off: 1, x: { y: [1, Number.NaN] } } }))).toBe('flags.a.variants.x.y[1]')
      expect(pathOf(flag({ enabled: true, variants: { off: 1, x: undefined } }))).toBe('flags.a.variants.x')
      expect(pathOf(flag({ enabled: true, variants: { off: 1, x: () => 1 } }))).toBe('flags.a.variants.x')
    })

    it('rejects an offVariant that is not a variant, listing the variants', () => {
      const error = problem(flag({ enabled: true, variants: { blue: 1, green: 2 }, offVariant: 'red' }))
      expect(error.path).toBe('flags.a.offVariant')
      expect(error.message).toBe('flags.a.offVariant: expected one of blue, green, got "red"')
    })

    it('rejects a missing offVariant when the flag has no "off" variant', () => {
      const error = problem(flag({ enabled: true, variants: { blue: 1, green: 2 } }))
      expect(error.path).toBe('flags.a.offVariant')
      expect(error.message).toBe('flags.a.offVariant: missing (expected one of blue, green)')
    })

    it('uses on/off as the default variants', () => {
      expect(validateConfig(flag({ enabled: true, offVariant: 'on', rules: [{ serve: 'off' }] }))).toBeTruthy()
      expect(pathOf(flag({ enabled: true, offVariant: 'of' }))).toBe('flags.a.offVariant')
    })

    it('rejects a salt that is not a string', () => {
      expect(pathOf(flag({ enabled: true, salt: 1 }))).toBe('flags.a.salt')
    })
  })

  describe('rules and serve', () => {
    it.each([{}, 'rules', null])('rejects rules that are %j', (value) => {
      expect(pathOf(flag({ enabled: true, rules: value }))).toBe('flags.a.rules')
    })

    it('rejects a rule that is not an object', () => {
      expect(pathOf(rules({ serve: 'on' }, 'off'))).toBe('flags.a.rules[1]')
    })

    it('rejects a rule without serve', () => {
      expect(pathOf(rules({ serve: 'on' }, { serve: 'on' }, { if: { attr: 'x', op: 'exists' } }))).toBe('flags.a.rules[2].serve')
    })

    it('rejects unknown keys in a rule', () => {
      expect(pathOf(rules({ when: { attr: 'x', op: 'exists' }, serve: 'on' }))).toBe(`${R}.when`)
    })

    it('rejects a serve string that is not a variant', () => {
      const error = problem(serving('yes'))
      expect(error.path).toBe(`${R}.serve`)
      expect(error.message).toContain('expected one of on, off, got "yes"')
    })

    it.each([true, 1, null, []])('rejects a serve that is %j', (serve) => {
      expect(pathOf(serving(serve))).toBe(`${R}.serve`)
    })

    it('rejects a serve object with neither or both of rollout and split', () => {
      expect(pathOf(serving({ by: 'userId' }))).toBe(`${R}.serve`)
      expect(pathOf(serving({ rollout: 5, split: { on: 100 } }))).toBe(`${R}.serve`)
    })

    it('rejects unknown keys in a serve, listing the known ones', () => {
      const error = problem(serving({ rollout: 5, varaint: 'on' }))
      expect(error.path).toBe(`${R}.serve.varaint`)
      expect(error.message).toContain('unexpected key "varaint" (expected one of by, salt, hash, rollout, variant, then)')
      expect(pathOf(serving({ split: { on: 100 }, variant: 'on' }))).toBe(`${R}.serve.variant`)
    })

    it.each([-0.01, 100.01, '25', Number.NaN, Number.POSITIVE_INFINITY, null, [25]])('rejects rollout %j', (rollout) => {
      expect(pathOf(serving({ rollout }))).toBe(`${R}.serve.rollout`)
    })

    it.each([0, 100, 25, 1.1, 33.33, 99.99, 0.01, 12.5])('accepts rollout %j', (rollout) => {
      expect(validateConfig(serving({ rollout }))).toBeTruthy()
    })

    it.each([33.333, 0.001, 99.995])('rejects rollout %j for having more than two decimals', (rollout) => {
      expect(problem(serving({ rollout })).message).toContain('expected at most two decimals')
    })

    it('rejects an unknown rollout variant, and a default "on" the flag lacks', () => {
      expect(pathOf(serving({ rollout: 5, variant: 'yes' }))).toBe(`${R}.serve.variant`)
      const error = problem(serving({ rollout: 5 }, { variants: { a: 1, off: 0 } }))
      expect(error.path).toBe(`${R}.serve.variant`)
      expect(error.message).toContain('missing (expected one of a, off)')
    })

    it.each(['', 5, null])('rejects by %j', (by) => {
      expect(pathOf(serving({ rollout: 5, by }))).toBe(`${R}.serve.by`)
      expect(pathOf(serving({ split: { on: 100 }, by }))).toBe(`${R}.serve.by`)
    })

    it('rejects a serve salt that is not a string', () => {
      expect(pathOf(serving({ rollout: 5, salt: 5 }))).toBe(`${R}.serve.salt`)
    })
  })

  describe('ramps', () => {
    const ramp = (r: Json): Json => serving({ rollout: { from: 5, to: 100, start: '2026-12-01T09:00:00Z', end: '2026-12-08T09:00:00Z', ...r } })

    it('accepts a ramp, rising or falling', () => {
      expect(validateConfig(ramp({}))).toBeTruthy()
      expect(validateConfig(ramp({ from: 100, to: 0 }))).toBeTruthy()
    })

    it.each([
      [{ from: -1 }, 'from'], [{ from: 101 }, 'from'], [{ to: '100' }, 'to'], [{ to: undefined }, 'to'],
      [{ start: 'tomorrow' }, 'start'], [{ end: '2026-12-32T00:00:00Z' }, 'end'], [{ start: undefined }, 'start'],
    ])('rejects a ramp with %j', (r, key) => {
      expect(pathOf(ramp(r))).toBe(`${R}.serve.rollout.${key}`)
    })

    it('rejects a ramp whose end is not after its start', () => {
      expect(pathOf(ramp({ end: '2026-12-01T09:00:00Z' }))).toBe(`${R}.serve.rollout.end`)
      expect(pathOf(ramp({ end: '2026-11-01T09:00:00Z' }))).toBe(`${R}.serve.rollout.end`)
      // 10:00+01:00 is the same instant as 09:00Z
      expect(pathOf(ramp({ end: '2026-12-01T10:00:00+01:00' }))).toBe(`${R}.serve.rollout.end`)
    })

    it('rejects unknown keys in a ramp', () => {
      expect(pathOf(ramp({ until: '2027-01-01' }))).toBe(`${R}.serve.rollout.until`)
    })
  })

  describe('splits', () => {
    const variants = { control: 'blue', treatment: 'green' }
    const split = (s: unknown, extra: Json = {}): Json => serving({ split: s, ...extra }, { variants, offVariant: 'control' })

    it('accepts weights that sum to 100, within 0.01', () => {
      expect(validateConfig(split({ control: 50, treatment: 50 }))).toBeTruthy()
      expect(validateConfig(split({ control: 66.67, treatment: 33.33 }))).toBeTruthy()
      expect(validateConfig(split({ control: 33.33, treatment: 66.66 }))).toBeTruthy()
      expect(validateConfig(split({ control: 100, treatment: 0 }))).toBeTruthy()
    })

    it('rejects weights that do not sum to 100', () => {
      const error = problem(split({ control: 50, treatment: 30 }))
      expect(error.path).toBe(`${R}.serve.split`)
      expect(error.message).toContain('weights sum to 80 (expected 100')
      expect(pathOf(split({ control: 1, treatment: 1 }))).toBe(`${R}.serve.split`)
      expect(pathOf(split({ control: 0, treatment: 0 }))).toBe(`${R}.serve.split`)
      expect(pathOf(split({ control: 33.33, treatment: 66.65 }))).toBe(`${R}.serve.split`)
    })

    it('rejects a split naming an unknown variant', () => {
      expect(pathOf(split({ control: 50, purple: 50 }))).toBe(`${R}.serve.split.purple`)
    })

    it.each([-10, '50', Number.NaN, Number.POSITIVE_INFINITY, null])('rejects weight %j', (w) => {
      expect(pathOf(split({ control: 100, treatment: w }))).toBe(`${R}.serve.split.treatment`)
    })

    it.each([{}, [], 'control'])('rejects a split that is %j', (s) => {
      expect(pathOf(split(s))).toBe(`${R}.serve.split`)
    })
  })

  describe('schedules', () => {
    const scheduled = (schedule: unknown): Json => flag({ enabled: true, schedule })

    it('accepts from, until, both or neither', () => {
      for (const s of [{}, { from: '2026-12-01' }, { until: '2027-01-01T00:00:00Z' }, { from: '2026-12-01', until: '2026-12-02' }]) {
        expect(validateConfig(scheduled(s))).toBeTruthy()
      }
    })

    it.each([
      ['2026-12-01 09:00:00Z', 'a space instead of T'], ['2026-12-01T09:00:00', 'a date-time without a zone'],
      ['2026-02-29', 'February 29 in a common year'], ['2026-04-31', 'April 31'], ['2026-13-01', 'month 13'],
      ['2026-12-01T24:00:00Z', 'hour 24'], ['Dec 1, 2026', 'a non-ISO date'], [1796115600000, 'a number'],
    ])('rejects from %j (%s)', (from, _why) => {
      expect(pathOf(scheduled({ from }))).toBe('flags.a.schedule.from')
    })

    it('accepts February 29 in a leap year', () => {
      expect(validateConfig(scheduled({ from: '2028-02-29' }))).toBeTruthy()
      expect(validateConfig(scheduled({ from: '2000-02-29T00:00Z' }))).toBeTruthy()
      expect(pathOf(scheduled({ from: '2100-02-29' }))).toBe('flags.a.schedule.from')
    })

    it('rejects from >= until', () => {
      expect(pathOf(scheduled({ from: '2027-01-01', until: '2026-01-01' }))).toBe('flags.a.schedule.until')
      expect(pathOf(scheduled({ from: '2027-01-01', until: '2027-01-01T00:00:00Z' }))).toBe('flags.a.schedule.until')
    })

    it('rejects a schedule that is not an object, or has unknown keys', () => {
      expect(pathOf(scheduled('2026-12-01'))).toBe('flags.a.schedule')
      expect(pathOf(scheduled({ to: '2026-12-01' }))).toBe('flags.a.schedule.to')
    })
  })

  describe('conditions', () => {
    it('accepts every operator with a fitting operand', () => {
      const config = rules(
        ...[
          { attr: 'c', op: 'in', values: ['US', 1, true] }, { attr: 'c', op: 'notIn', values: [] },
          { attr: 'p', op: 'eq', value: 'pro' }, { attr: 'p', op: 'neq', value: 3 }, { attr: 'p', op: 'eq', value: false },
          { attr: 'e', op: 'contains', value: '@' }, { attr: 'e', op: 'startsWith', value: 'a', caseInsensitive: true },
          { attr: 'e', op: 'endsWith', value: '.com' }, { attr: 'e', op: 'matches', value: '^a+$', caseInsensitive: true },
          { attr: 'n', op: 'lt', value: 1 }, { attr: 'n', op: 'lte', value: -1.5 }, { attr: 'n', op: 'gt', value: 0 },
          { attr: 'n', op: 'gte', value: 1e9 }, { attr: 'd', op: 'before', value: '2026-12-01' },
          { attr: 'd', op: 'after', value: 1796115600000 }, { attr: 'v', op: 'semverEq', value: '1.2.3' },
          { attr: 'v', op: 'semverLt', value: 'v2' }, { attr: 'v', op: 'semverLte', value: '2.1' },
          { attr: 'v', op: 'semverGt', value: '1.0.0-rc.1' }, { attr: 'v', op: 'semverGte', value: '1.0.0+b' },
          { attr: 'x', op: 'exists' },
        ].map((c) => ({ if: c, serve: 'on' })),
      )
      expect(validateConfig(config)).toBe(config)
    })

    it.each([null, 'x', [], 1])('rejects a condition that is %j', (c) => {
      expect(pathOf(when(c))).toBe(`${R}.if`)
    })

    it('rejects a condition of no kind', () => {
      expect(problem(when({})).message).toContain('expected attr, segment, all, any or not')
    })

    it('rejects a condition of two kinds', () => {
      const error = problem(when({ attr: 'x', op: 'exists', not: { attr: 'y', op: 'exists' } }))
      expect(error.path).toBe(`${R}.if`)
      expect(error.message).toContain('unexpected key "not" (expected one of attr, op, caseInsensitive, values, value)')
      expect(pathOf(when({ all: [{ segment: 's', any: [] }] }, { segments: { s: { attr: 'x', op: 'exists' } } }))).toBe(`${R}.if.all[0]`)
      expect(pathOf(when({ segment: 's', op: null }, { segments: { s: { attr: 'x', op: 'exists' } } }))).toBe(`${R}.if.op`)
      expect(pathOf(when({ not: { attr: 'x', op: 'exists' }, value: 1 }))).toBe(`${R}.if.value`)
    })

    it('catches typos in condition keys', () => {
      const error = problem(when({ attr: 'plan', op: 'eq', vaule: 'pro' }))
      expect(error.path).toBe(`${R}.if.vaule`)
      expect(error.message).toBe(
        `${R}.if.vaule: unexpected key "vaule" (expected one of attr, op, caseInsensitive, values, value)`,
      )
      expect(pathOf(when({ atr: 'plan', op: 'eq', value: 'pro' }))).toBe(`${R}.if.atr`)
      expect(pathOf(when({ not: { attr: 'x', op: 'exists' }, because: 'x' }))).toBe(`${R}.if.because`)
    })

    it('rejects an unknown operator, listing the operators', () => {
      const error = problem(when({ attr: 'country', op: 'inn', values: ['US'] }))
      expect(error.path).toBe(`${R}.if.op`)
      expect(error.message).toMatch(/^flags\.a\.rules\[0\]\.if\.op: expected one of in, notIn, eq, neq, .*exists, \.\.\., got "inn"$/)
    })

    it.each([undefined, 1, 'EQ', 'toString', '__proto__'])('rejects op %j', (op) => {
      expect(pathOf(when({ attr: 'x', op, value: 1 }))).toBe(`${R}.if.op`)
    })

    it('says when the operator is missing', () => {
      expect(problem(when({ attr: 'x', value: 1 })).message).toMatch(/\.if\.op: missing \(expected one of in, notIn, /)
    })

    it.each(['', 1, null])('rejects attr %j', (attr) => {
      expect(pathOf(when({ attr, op: 'exists' }))).toBe(`${R}.if.attr`)
    })

    it('rejects an op without attr as a condition of no kind', () => {
      const error = problem(when({ op: 'exists' }))
      expect(error.path).toBe(`${R}.if`)
      expect(error.message).toContain('expected attr, segment, all, any or not')
    })

    it('requires a values array of strings, numbers or booleans for in and notIn', () => {
      expect(pathOf(when({ attr: 'c', op: 'in' }))).toBe(`${R}.if.values`)
      expect(pathOf(when({ attr: 'c', op: 'notIn', values: 'US' }))).toBe(`${R}.if.values`)
      expect(pathOf(when({ attr: 'c', op: 'in', value: 'US' }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'c', op: 'in', values: ['US', null] }))).toBe(`${R}.if.values[1]`)
      expect(pathOf(when({ attr: 'c', op: 'in', values: [['US']] }))).toBe(`${R}.if.values[0]`)
    })

    it.each(['eq', 'neq', 'contains', 'startsWith', 'endsWith', 'matches', 'lt', 'lte', 'gt', 'gte', 'before', 'after', 'semverEq', 'semverGte'])(
      'requires a value for %s, and no values',
      (op) => {
        expect(pathOf(when({ attr: 'x', op }))).toBe(`${R}.if.value`)
        expect(pathOf(when({ attr: 'x', op, value: 1, values: [1] }))).toBe(`${R}.if.values`)
      },
    )

    it.each(['eq', 'neq', 'contains', 'startsWith', 'endsWith'])('requires a string, number or boolean for %s', (op) => {
      expect(pathOf(when({ attr: 'x', op, value: null }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: { a: 1 } }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: [1] }))).toBe(`${R}.if.value`)
    })

    it.each(['lt', 'lte', 'gt', 'gte'])('requires a finite number for %s', (op) => {
      expect(pathOf(when({ attr: 'x', op, value: '1' }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: Number.POSITIVE_INFINITY }))).toBe(`${R}.if.value`)
    })

    it.each(['before', 'after'])('requires an ISO date string or epoch milliseconds for %s', (op) => {
      expect(pathOf(when({ attr: 'x', op, value: 'last week' }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: '2026-12-01T09:00' }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: Number.NaN }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: true }))).toBe(`${R}.if.value`)
    })

    it.each(['semverEq', 'semverLt', 'semverLte', 'semverGt', 'semverGte'])('requires a valid version string for %s', (op) => {
      expect(pathOf(when({ attr: 'x', op, value: '1.2.x' }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op, value: 1.2 }))).toBe(`${R}.if.value`)
    })

    it('rejects a value on exists (use not for must-not-exist)', () => {
      const error = problem(when({ attr: 'x', op: 'exists', value: true }))
      expect(error.path).toBe(`${R}.if.value`)
      expect(error.message).toContain('exists takes no "value"')
      expect(pathOf(when({ attr: 'x', op: 'exists', values: [] }))).toBe(`${R}.if.values`)
    })

    it('rejects a matches pattern longer than MAX_REGEX_LENGTH', () => {
      expect(validateConfig(when({ attr: 'x', op: 'matches', value: 'a'.repeat(MAX_REGEX_LENGTH) }))).toBeTruthy()
      const error = problem(when({ attr: 'x', op: 'matches', value: 'a'.repeat(MAX_REGEX_LENGTH + 1) }))
      expect(error.path).toBe(`${R}.if.value`)
      expect(error.message).toContain(`at most ${MAX_REGEX_LENGTH}`)
    })

    it('rejects a matches pattern that does not compile, or is not a string', () => {
      const error = problem(when({ attr: 'x', op: 'matches', value: '(a' }))
      expect(error.path).toBe(`${R}.if.value`)
      expect(error.message).toContain('bad regex: missing ")"')
      expect(pathOf(when({ attr: 'x', op: 'matches', value: /a/ }))).toBe(`${R}.if.value`)
      expect(pathOf(when({ attr: 'x', op: 'matches', value: '[z-a]' }))).toBe(`${R}.if.value`)
    })

    it.each(['yes', 1, null])('rejects caseInsensitive %j', (caseInsensitive) => {
      expect(pathOf(when({ attr: 'x', op: 'eq', value: 'a', caseInsensitive }))).toBe(`${R}.if.caseInsensitive`)
    })

    it('rejects empty or non-array all/any, and checks every nested condition', () => {
      expect(pathOf(when({ all: [] }))).toBe(`${R}.if.all`)
      expect(pathOf(when({ any: { attr: 'x', op: 'exists' } }))).toBe(`${R}.if.any`)
      expect(pathOf(when({ any: [{ attr: 'x', op: 'exists' }, { all: [{ not: { attr: 'y', op: 'gt', value: 'z' } }] }] })))
        .toBe(`${R}.if.any[1].all[0].not.value`)
    })

    it(`rejects conditions nested deeper than ${MAX_NESTING_DEPTH} levels`, () => {
      let c: unknown = { attr: 'x', op: 'exists' }
      for (let i = 0; i < MAX_NESTING_DEPTH - 1; i++) c = { not: c }
      expect(validateConfig(when(c))).toBeTruthy()
      const error = problem(when({ not: c }))
      expect(error.message).toContain(`nested deeper than ${MAX_NESTING_DEPTH}`)
    })

    it('fails cleanly, not with a stack overflow, on a deeply nested hostile config', () => {
      let c: unknown = { attr: 'x', op: 'exists' }
      for (let i = 0; i < 100_000; i++) c = { not: c }
      expect(problem(when(c)).message).toContain('nested deeper')
    })
  })

  describe('segments', () => {
    const staff = { attr: 'email', op: 'endsWith', value: '@example.com' }

    it('accepts segments that reference earlier and later segments', () => {
      const config = when({ segment: 'b' }, { segments: { b: { any: [{ segment: 'c' }] }, c: staff } })
      expect(validateConfig(config)).toBe(config)
    })

    it('rejects a reference to an unknown segment from a flag', () => {
      const error = problem(when({ segment: 'betta' }, { segments: { beta: staff } }))
      expect(error.path).toBe(`${R}.if.segment`)
      expect(error.message).toContain('expected one of beta, got "betta"')
    })

    it('says there are no segments when none are defined', () => {
      expect(problem(when({ segment: 'beta' })).message).toBe(`${R}.if.segment: expected one of (none), got "beta"`)
    })

    it('rejects a reference to an unknown segment from a segment', () => {
      expect(pathOf(flags({}, { segments: { a: { all: [staff, { segment: 'nope' }] } } }))).toBe('segments.a.all[1].segment')
    })

    it('rejects segments that are not an object, or a segment that is not a condition', () => {
      expect(pathOf(flags({}, { segments: [staff] }))).toBe('segments')
      expect(pathOf(flags({}, { segments: { a: 'staff' } }))).toBe('segments.a')
      expect(pathOf(flags({}, { segments: { '': staff } }))).toBe('segments[""]')
    })

    it('rejects a segment that references itself', () => {
      const error = problem(flags({}, { segments: { me: { not: { segment: 'me' } } } }))
      expect(error.path).toBe('segments.me.not.segment')
      expect(error.message).toContain('segment cycle: "me" → "me"')
    })

    it('rejects a segment cycle at the reference that closes it', () => {
      const error = problem(flags({}, { segments: { a: { segment: 'b' }, b: { all: [staff, { segment: 'c' }] }, c: { any: [{ segment: 'a' }] } } }))
      expect(error.path).toBe('segments.c.any[0].segment')
      expect(error.message).toBe('segments.c.any[0].segment: segment cycle: "a" → "b" → "c" → "a"')
    })

    it('accepts a diamond of segments (shared, not cyclic)', () => {
      const segments = { top: { all: [{ segment: 'l' }, { segment: 'r' }] }, l: { segment: 'base' }, r: { segment: 'base' }, base: staff }
      expect(validateConfig(when({ segment: 'top' }, { segments }))).toBeTruthy()
    })
  })

  describe('prerequisites', () => {
    it('accepts prerequisites on known flags and variants', () => {
      const config = flags({
        a: { enabled: true, requires: [{ flag: 'b' }, { flag: 'c', variant: 'dark' }] },
        b: { enabled: true, requires: [{ flag: 'c', variant: 'light' }] },
        c: { enabled: true, variants: { light: 1, dark: 2 }, offVariant: 'light' },
      })
      expect(validateConfig(config)).toBe(config)
    })

    it.each([{}, 'b', null])('rejects requires that is %j', (requires) => {
      expect(pathOf(flag({ enabled: true, requires }))).toBe('flags.a.requires')
    })

    it('rejects malformed prerequisite entries', () => {
      expect(pathOf(flag({ enabled: true, requires: ['b'] }))).toBe('flags.a.requires[0]')
      expect(pathOf(flag({ enabled: true, requires: [{ flag: '' }] }))).toBe('flags.a.requires[0].flag')
      expect(pathOf(flag({ enabled: true, requires: [{ key: 'b' }] }))).toBe('flags.a.requires[0].key')
      expect(pathOf(flag({ enabled: true, requires: [{ flag: 'a', variant: 1 }] }))).toBe('flags.a.requires[0].variant')
    })

    it('rejects a prerequisite on an unknown flag', () => {
      const error = problem(flags({ a: { enabled: true }, b: { enabled: true, requires: [{ flag: 'payments-v2' }] } }))
      expect(error.path).toBe('flags.b.requires[0].flag')
      expect(error.message).toContain('expected one of a, b, got "payments-v2"')
    })

    it('rejects a prerequisite on an unknown variant, including a default "on" the flag lacks', () => {
      const c = { enabled: true, variants: { light: 1, dark: 2 }, offVariant: 'light' }
      expect(pathOf(flags({ a: { enabled: true, requires: [{ flag: 'c', variant: 'dim' }] }, c }))).toBe('flags.a.requires[0].variant')
      const error = problem(flags({ a: { enabled: true, requires: [{ flag: 'c' }] }, c }))
      expect(error.path).toBe('flags.a.requires[0].variant')
      expect(error.message).toContain('missing (expected one of light, dark)')
    })

    it('rejects a flag that requires itself', () => {
      const error = problem(flag({ enabled: true, requires: [{ flag: 'a' }] }))
      expect(error.path).toBe('flags.a.requires[0].flag')
      expect(error.message).toContain('prerequisite cycle: "a" → "a"')
    })

    it('rejects a prerequisite cycle at the prerequisite that closes it', () => {
      const error = problem(flags({
        x: { enabled: true },
        'new-checkout': { enabled: true, requires: [{ flag: 'x' }, { flag: 'payments-v2' }] },
        'payments-v2': { enabled: true, requires: [{ flag: 'new-checkout' }] },
      }))
      expect(error.path).toBe('flags["payments-v2"].requires[0].flag')
      expect(error.message).toContain('"new-checkout" → "payments-v2" → "new-checkout"')
    })

    it('accepts a long chain and a diamond of prerequisites', () => {
      const chain: Json = {}
      for (let i = 0; i < 5000; i++) chain[`f${i}`] = { enabled: true, ...(i > 0 ? { requires: [{ flag: `f${i - 1}` }] } : {}) }
      // Chains deeper than 64 are rejected (issue #9: evaluation never recurses deeper than that) ...
      expect(problem(flags(chain)).message).toContain('prerequisite chain deeper than 64')
      const short: Json = {}
      for (let i = 0; i < 65; i++) short[`f${i}`] = chain[`f${i}`]
      expect(validateConfig(flags(short))).toBeTruthy()
      // ... and a cycle is found before the depth.
      chain.f0 = { enabled: true, requires: [{ flag: 'f4999' }] }
      // The walk goes f0 → f4999 → ... → f1, and f1's prerequisite closes the cycle.
      expect(pathOf(flags(chain))).toBe('flags.f1.requires[0].flag')
      const diamond = { a: { enabled: true, requires: [{ flag: 'b' }, { flag: 'c' }] }, b: { enabled: true, requires: [{ flag: 'd' }] }, c: { enabled: true, requires: [{ flag: 'd' }] }, d: { enabled: true } }
      expect(validateConfig(flags(diamond))).toBeTruthy()
    })

    it('checks every flag before prerequisites, so a later malformed flag is reported first', () => {
      expect(pathOf(flags({ a: { enabled: true, requires: [{ flag: 'nope' }] }, b: { enabled: 'no' } }))).toBe('flags.b.enabled')
    })
  })

  describe('keys are plain data', () => {
    it('validates a flag named __proto__ from JSON.parse, and pollutes nothing', () => {
      const config = JSON.parse('{"schemaVersion":1,"flags":{"__proto__":{"enabled":true}}}') as { flags: Json }
      expect(validateConfig(config)).toBe(config)
      expect(Object.keys(config.flags)).toEqual(['__proto__'])
      expect(Object.getPrototypeOf(config.flags)).toBe(Object.prototype)
      expect(({} as Json).enabled).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('enabled')
    })

    it('reports problems inside a __proto__ flag at its path', () => {
      const config = JSON.parse('{"schemaVersion":1,"flags":{"__proto__":{"enabled":"yes"}}}')
      expect(pathOf(config)).toBe('flags.__proto__.enabled')
    })

    it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'])(
      'treats %s as an ordinary flag, segment, variant and attribute name',
      (name) => {
        const n = JSON.stringify(name)
        const config = JSON.parse(`{
          "schemaVersion": 1,
          "segments": { ${n}: { "attr": ${n}, "op": "exists" } },
          "flags": {
            ${n}: { "enabled": true, "variants": { ${n}: 1, "off": 0 },
              "rules": [{ "if": { "segment": ${n} }, "serve": ${n} }, { "serve": { "split": { ${n}: 100 }, "by": ${n} } }] },
            "other": { "enabled": true, "requires": [{ "flag": ${n}, "variant": ${n} }] }
          }
        }`)
        expect(validateConfig(config)).toBe(config)
      },
    )

    it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])('does not find inherited %s as a segment, flag or variant', (name) => {
      expect(pathOf(when({ segment: name }))).toBe(`${R}.if.segment`)
      expect(pathOf(flag({ enabled: true, requires: [{ flag: name }] }))).toBe('flags.a.requires[0].flag')
      expect(pathOf(serving(name, { variants: { x: 1, off: 0 } }))).toBe(`${R}.serve`)
      expect(pathOf(flag({ enabled: true, variants: { x: 1 }, offVariant: name }))).toBe('flags.a.offVariant')
    })

    it('accepts objects without a prototype', () => {
      const bare = <T extends object>(o: T): T => Object.assign(Object.create(null) as T, o)
      const config = bare({ schemaVersion: 1, flags: bare({ a: bare({ enabled: true, variants: bare({ on: 1, off: 0 }), rules: [bare({ serve: 'on' })] }) }) })
      expect(validateConfig(config)).toBe(config)
    })

    it('ignores enumerable keys inherited from a polluted Object.prototype', () => {
      const proto = Object.prototype as Json
      proto.polluted = true
      try {
        expect(validateConfig(flag({ enabled: true, rules: [{ if: { attr: 'x', op: 'exists' }, serve: 'on' }] }))).toBeTruthy()
      } finally {
        delete proto.polluted
      }
    })
  })

  describe('paths', () => {
    it('quotes keys that are not identifiers, with JSON escaping', () => {
      expect(pathOf(flags({ 'say "hi"\n': { enabled: 0 } }))).toBe('flags["say \\"hi\\"\\n"].enabled')
      expect(pathOf(flags({ 'новый флаг': { enabled: 0 } }))).toBe('flags["новый флаг"].enabled')
      expect(pathOf(flags({ $ok_1: { enabled: 0 } }))).toBe('flags.$ok_1.enabled')
      expect(pathOf(flags({ '1a': { enabled: 0 } }))).toBe('flags["1a"].enabled')
    })
  })
})

describe('validateConfig at scale', () => {
  // How fast is a benchmark's question (benchmarks/), not a test's: this one checks the answer at scale.
  it('validates 10,000 flags with prerequisites, and still finds a cycle among them', () => {
    const many: Json = {}
    for (let i = 0; i < 10_000; i++) {
      many[`flag-${i}`] = i % 3 === 0
        ? { enabled: true, rules: [{ if: { attr: 'country', op: 'in', values: ['US', 'CA'] }, serve: { rollout: 25 } }] }
        : { enabled: i % 2 === 0, requires: i > 0 ? [{ flag: `flag-${i - 1}` }] : [] }
    }
    const config = JSON.parse(JSON.stringify(flags(many)))
    expect(validateConfig(config)).toBe(config)
    // flag-2 requires flag-1, which requires flag-0: closing the loop is an error
    config.flags['flag-0'].requires = [{ flag: 'flag-2' }]
    expect(() => validateConfig(config)).toThrow(/cycle/i)
  })
})

describe('formatPath', () => {
  it('formats identifiers with dots, other keys in brackets, and indices as [n]', () => {
    expect(formatPath(['flags', 'new-checkout', 'rules', 2, 'if', 'op'])).toBe('flags["new-checkout"].rules[2].if.op')
  })

  it('writes the root as an empty string and a top-level key without a dot', () => {
    expect(formatPath([])).toBe('')
    expect(formatPath(['schemaVersion'])).toBe('schemaVersion')
    expect(formatPath(['my-key', 0])).toBe('["my-key"][0]')
  })
})

describe('describeValue', () => {
  it('describes what was found', () => {
    expect([undefined, null, [], [1], {}, 'x', 1, true].map(describeValue))
      .toEqual(['nothing', 'null', 'an empty array', 'an array', 'an object', '"x"', '1', 'true'])
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`)
  })
})

describe('expectedOneOf', () => {
  it('lists the choices', () => {
    expect(expectedOneOf(['value', 'values'])).toBe('one of value, values')
  })

  it('says so when there is nothing to choose from', () => {
    expect(expectedOneOf([])).toBe('one of (none)')
  })

  it('shows at most 20 choices', () => {
    const many = Array.from({ length: 30 }, (_, i) => `v${i}`)
    expect(expectedOneOf(many)).toBe(`one of ${many.slice(0, 20).join(', ')}, ...`)
  })
})
