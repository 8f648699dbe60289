import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020'
import { describe, expect, it } from 'vitest'
import { isFlagstageError } from '../../src/core/errors.ts'
import { parseSemver } from '../../src/core/semver.ts'
import { MAX_REGEX_LENGTH, validateConfig } from '../../src/core/validate.ts'
import { inCidrOperator } from '../../src/core/in-cidr.ts'
import { matchesOperator } from '../../src/core/matches.ts'
import { registerOperators } from '../../src/core/operators.ts'
// matches and inCidr are opt-in operators (test/core/operators.test.ts: configs that use them unregistered).
registerOperators(matchesOperator, inCidrOperator)

const at = (p: string): string => fileURLToPath(new URL(p, import.meta.url))
const read = (p: string): string => readFileSync(at(p), 'utf8')
const schema = JSON.parse(read('../../schema.json')) as Record<string, unknown>
// strictRequired would reject `not: { required: [...] }`, the usual way to forbid a key; every other
// strict check (unknown keywords, types, unions) is on, so editors see a clean schema.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true })
const schemaAccepts = ajv.compile(schema)

const list = (dir: string): string[] => readdirSync(at(dir)).filter((f) => f.endsWith('.json') && f !== 'expected.json').sort()
// JSON.parse, not import: `__proto__` keys must stay own keys, as they are for configs off the wire.
const load = (p: string): unknown => JSON.parse(read(p))
const goodFiles = list('../fixtures/configs/good')
const badFiles = list('../fixtures/configs/bad')
const expected = load('../fixtures/configs/bad/expected.json') as Record<string, { path: string; schema: boolean }>

const pathOfError = (config: unknown): string | undefined => {
  try {
    validateConfig(config)
    return undefined
  } catch (error) {
    if (!isFlagstageError(error) || error.code !== 'INVALID_CONFIG') throw error
    return error.path
  }
}
// The jsonc in DESIGN section 3, with `//` comments removed (but not `//` inside strings).
const stripComments = (text: string): string => text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*/g, (_, s?: string) => s ?? '')

describe('schema.json', () => {
  it('is a draft 2020-12 schema with the published $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.$id).toBe('https://flagstage.dev/schema.json')
  })

  it('compiles without warnings under Ajv defaults', () => {
    const warnings: unknown[] = []
    const logger = { log: () => {}, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) }
    new Ajv2020({ logger }).compile(schema)
    expect(warnings).toEqual([])
  })

  it('has a good corpus of at least 12 configs and a bad corpus of at least 25', () => {
    expect(goodFiles.length).toBeGreaterThanOrEqual(12)
    expect(badFiles.length).toBeGreaterThanOrEqual(25)
  })

  it('has an expectation for every bad config, and a bad config for every expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(badFiles)
  })

  it.each(goodFiles)('accepts good/%s, as validateConfig does', (file) => {
    const config = load(`../fixtures/configs/good/${file}`)
    expect(schemaAccepts(config), JSON.stringify(schemaAccepts.errors)).toBe(true)
    expect(validateConfig(config)).toBe(config)
  })

  it.each(badFiles)('rejects bad/%s where expected, and validateConfig names the path', (file) => {
    const config = load(`../fixtures/configs/bad/${file}`)
    const { path, schema: schemaRejects } = expected[file]!
    expect(pathOfError(config)).toBe(path)
    expect(schemaAccepts(config)).toBe(!schemaRejects)
  })

  it('accepts the DESIGN section 3 example, which validateConfig rejects only for its undefined prerequisite', () => {
    const config = JSON.parse(stripComments(read('../fixtures/configs/design-example.jsonc'))) as {
      flags: Record<string, unknown>
    }
    expect(schemaAccepts(config), JSON.stringify(schemaAccepts.errors)).toBe(true)
    // The example requires "payments-v2" but does not define it: a cross-reference only the validator sees.
    expect(pathOfError(config)).toBe('flags["new-checkout"].requires[0].flag')
    config.flags['payments-v2'] = { enabled: true }
    expect(validateConfig(config)).toBe(config)
  })

  it('rejects rollouts with more than two decimals only in validateConfig (multipleOf 0.01 is unreliable in floating point)', () => {
    const config = { schemaVersion: 1, flags: { a: { enabled: true, rules: [{ serve: { rollout: 1.1 } }, { serve: { rollout: 33.33 } }] } } }
    expect(schemaAccepts(config)).toBe(true)
    expect(validateConfig(config)).toBe(config)
  })

  it('limits matches patterns to MAX_REGEX_LENGTH, like validateConfig', () => {
    const config = (value: string): unknown =>
      ({ schemaVersion: 1, flags: { a: { enabled: true, rules: [{ if: { attr: 'e', op: 'matches', value }, serve: 'on' }] } } })
    expect(schemaAccepts(config('a'.repeat(MAX_REGEX_LENGTH)))).toBe(true)
    expect(schemaAccepts(config('a'.repeat(MAX_REGEX_LENGTH + 1)))).toBe(false)
  })

  it('accepts exactly the versions parseSemver accepts', () => {
    const config = (value: string): unknown =>
      ({ schemaVersion: 1, flags: { a: { enabled: true, rules: [{ if: { attr: 'v', op: 'semverGt', value }, serve: 'on' }] } } })
    const versions = [
      '1', '1.2', '1.2.3', 'v1.2.3', 'V1.2', '1.2.3-beta.1', '1.2.3-0', '1.2.3-x-y-z.--', '1.2.3+build', '1.2-rc.1+b.2',
      '01.2.3', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3.4', 'x', '', ' 1.2.3', '1.2.3-a..b', '=1.2.3',
    ]
    for (const v of versions) expect(schemaAccepts(config(v)), v).toBe(parseSemver(v) !== undefined)
  })

  // What JSON Schema cannot say, and only validateConfig checks (each has a bad/* case with schema: false):
  // - a serve, offVariant, rollout variant, split key or prerequisite variant names an existing variant
  // - a segment reference names an existing segment; a prerequisite names an existing flag
  // - no segment cycles and no prerequisite cycles (self-references included)
  // - split weights sum to 100 (±0.01); rollouts have at most two decimals
  // - dates are real calendar days (no February 30); ramp end > start; schedule until > from
  // - `matches` patterns compile; conditions and variant values nest at most MAX_NESTING_DEPTH levels
  it('leaves exactly the cross-reference and arithmetic checks to validateConfig', () => {
    const validatorOnly = Object.entries(expected).filter(([, e]) => !e.schema).map(([file]) => file.replace(/\.json$/, ''))
    expect(validatorOnly.sort()).toEqual([
      'before-february-30', 'conditions-too-deep', 'in-cidr-invalid', 'matches-invalid-regex', 'off-variant-default-missing',
      'off-variant-unknown', 'ramp-end-before-start', 'requires-cycle', 'requires-self', 'requires-unknown-flag',
      'requires-unknown-variant', 'requires-unknown-variant-in-list', 'rollout-default-variant-missing', 'rollout-three-decimals', 'rollout-variant-unknown',
      'schedule-from-after-until', 'segment-cycle', 'segment-self-reference', 'segment-unknown',
      'segment-unknown-in-segment', 'serve-unknown-variant', 'split-relative-without-buckets', 'split-sum-not-100', 'split-unknown-variant',
      'variant-value-too-deep',
    ])
  })
})
