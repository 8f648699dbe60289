// checkSnapshot: the validator of evaluated snapshots (`{ evaluated: true, revision, flags: { key: { variant,
// value, enabled } } }`), tested here directly; test/sources/hostile-documents.test.ts reaches it through a
// client and a source, outside the unit suites that mutation testing runs.
import { describe, expect, it } from 'vitest'
import { rejection } from '../helpers/rejection.ts'
import { FlagstageError } from '../../src/core/errors.ts'
import { checkSnapshot, MAX_NESTING_DEPTH, validateConfig } from '../../src/core/validate.ts'

type Json = Record<string, unknown>

const problem = (doc: unknown): FlagstageError => rejection(doc, checkSnapshot)
const snapshot = (flags: unknown, extra: Json = {}): Json => ({ evaluated: true, ...extra, flags })
const entry = (e: Json): Json => snapshot({ a: e })
/** An object nested `n` levels deep (`{ k: { k: ... 1 } }`). */
const nested = (n: number): unknown => {
  let v: unknown = 1
  for (let i = 0; i < n; i++) v = { k: v }
  return v
}

describe('checkSnapshot', () => {
  it('accepts a snapshot with every field, and entries with any JSON value', () => {
    const doc = snapshot(
      {
        a: { variant: 'on', value: true, enabled: true },
        b: { variant: 'blue', value: { shade: [1, 'x', null] }, enabled: false },
        c: { variant: 'off', value: null },
        '__proto__': { variant: 'x', value: 0 },
      },
      { revision: 'r1', $schema: './schema.json' },
    )
    expect(checkSnapshot(doc)).toBeUndefined()
    expect(checkSnapshot(snapshot({}))).toBeUndefined()
  })

  it('rejects a snapshot that is no object, at the root', () => {
    for (const doc of [null, [], 'snapshot', 1]) {
      const error = problem(doc)
      expect(error.path).toBe('')
      expect(error.message).toMatch(/^expected an object, got /)
    }
    expect(problem(undefined).message).toBe('missing (expected an object)')
  })

  it('rejects unknown root keys, listing the known ones', () => {
    const error = problem(snapshot({}, { flgs: {} }))
    expect(error.path).toBe('flgs')
    expect(error.message).toBe('flgs: unexpected key "flgs" (expected one of evaluated, revision, $schema, flags)')
    expect(error.details).toEqual({ expected: ['evaluated', 'revision', '$schema', 'flags'], got: 'flgs' })
    // Config keys are not snapshot keys.
    expect(problem(snapshot({}, { schemaVersion: 1 })).path).toBe('schemaVersion')
  })

  it('rejects a revision or $schema that is not a string', () => {
    expect(problem(snapshot({}, { revision: 7 })).message).toBe('revision: expected a string, got 7')
    expect(problem(snapshot({}, { $schema: true })).message).toBe('$schema: expected a string, got true')
  })

  it('rejects missing flags, or flags that are no object', () => {
    expect(problem({ evaluated: true }).message).toBe('flags: missing (expected an object of evaluated flags)')
    expect(problem(snapshot([])).message).toBe('flags: expected an object of evaluated flags, got an empty array')
    expect(problem(snapshot(null)).path).toBe('flags')
  })

  it('rejects an empty flag key', () => {
    const error = problem(snapshot({ '': { variant: 'on', value: 1 } }))
    expect(error.path).toBe('flags[""]')
    expect(error.message).toBe('flags[""]: expected a non-empty string, got ""')
  })

  it('rejects an entry that is no object, at its key', () => {
    expect(problem(snapshot({ 'new-home': 'on' })).message).toBe('flags["new-home"]: expected an object, got "on"')
    expect(problem(snapshot({ a: null })).path).toBe('flags.a')
    expect(problem(snapshot({ a: [] })).path).toBe('flags.a')
  })

  it('rejects unknown keys in an entry, listing the known ones', () => {
    const error = problem(entry({ variant: 'on', value: 1, enabld: true }))
    expect(error.path).toBe('flags.a.enabld')
    expect(error.message).toContain('unexpected key "enabld" (expected one of variant, value, enabled)')
  })

  it('requires a non-empty variant name', () => {
    expect(problem(entry({ value: 1 })).message).toBe('flags.a.variant: missing (expected a non-empty string)')
    expect(problem(entry({ variant: '', value: 1 })).path).toBe('flags.a.variant')
    expect(problem(entry({ variant: 1, value: 1 })).message).toBe('flags.a.variant: expected a non-empty string, got 1')
  })

  it('requires a value, which may be null but not undefined or non-JSON', () => {
    expect(problem(entry({ variant: 'on' })).message).toBe('flags.a.value: missing (expected a JSON value)')
    expect(problem(entry({ variant: 'on', value: undefined })).path).toBe('flags.a.value')
    expect(problem(entry({ variant: 'on', value: Number.NaN })).message).toBe('flags.a.value: expected a JSON value, got NaN')
    expect(problem(entry({ variant: 'on', value: { list: [1, () => 1] } })).path).toBe('flags.a.value.list[1]')
  })

  it('takes enabled as true, false or nothing', () => {
    expect(checkSnapshot(entry({ variant: 'on', value: 1, enabled: false }))).toBeUndefined()
    expect(problem(entry({ variant: 'on', value: 1, enabled: 'yes' })).message).toBe('flags.a.enabled: expected a boolean, got "yes"')
    expect(problem(entry({ variant: 'on', value: 1, enabled: 0 })).path).toBe('flags.a.enabled')
    expect(problem(entry({ variant: 'on', value: 1, enabled: null })).path).toBe('flags.a.enabled')
  })

  it(`accepts values nested ${MAX_NESTING_DEPTH} levels deep and rejects deeper ones with their path`, () => {
    expect(checkSnapshot(entry({ variant: 'on', value: nested(MAX_NESTING_DEPTH) }))).toBeUndefined()
    const error = problem(entry({ variant: 'on', value: nested(MAX_NESTING_DEPTH + 1) }))
    expect(error.path).toBe(`flags.a.value${'.k'.repeat(MAX_NESTING_DEPTH)}`)
    expect(error.message).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`)
    // The depth is per entry, not summed across entries.
    const flags: Json = {}
    for (let i = 0; i < 3; i++) flags[`f${i}`] = { variant: 'on', value: nested(MAX_NESTING_DEPTH) }
    expect(checkSnapshot(snapshot(flags))).toBeUndefined()
  })

  it('reports the first problem in key order, entry by entry', () => {
    const error = problem(snapshot({ a: { variant: 'on', value: 1 }, b: { value: 1, enabled: 'x' }, c: 'on' }))
    expect(error.path).toBe('flags.b.variant')
  })

  it('leaves no state behind: a good snapshot and a config validate after a failed snapshot', () => {
    problem(entry({ variant: 'on', value: nested(MAX_NESTING_DEPTH + 1) }))
    expect(checkSnapshot(entry({ variant: 'on', value: nested(MAX_NESTING_DEPTH) }))).toBeUndefined()
    const config = { schemaVersion: 1, flags: { a: { enabled: true } } }
    expect(validateConfig(config)).toBe(config)
  })
})
