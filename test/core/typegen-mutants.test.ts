// flagTypes() output for the variant values the first typegen tests did not reach (rest group of
// npm run mutation:core): null, arrays of several types, empty objects and arrays, nested objects
// (their indentation), keys that need quotes inside an object, and the reserved words of each kind.
import { describe, expect, it } from 'vitest'
import { flagTypes, type Config, type FlagConfig } from 'flagstage'

const typesOf = (variants: FlagConfig['variants']): string => {
  const out = flagTypes({ schemaVersion: 1, flags: { f: { enabled: true, variants, offVariant: Object.keys(variants!)[0]! } } } as Config)
  const body = out.slice(out.indexOf('  f: Flag<') + '  f: Flag<'.length, out.lastIndexOf('>\n}\n'))
  return body.slice(0, body.lastIndexOf(', '))
}

describe('flagTypes() value types', () => {
  it('types null as null, booleans once, and strings inside values as string', () => {
    expect(typesOf({ off: null, on: 'x' })).toBe('null | "x"')
    expect(typesOf({ yes: true, no: false })).toBe('boolean')
    expect(typesOf({ a: ['x', 'y'], b: { s: 'z' } })).toBe('string[] | {\n    s: string\n  }')
  })

  it('types an array by the union of its item types, in first-seen order', () => {
    expect(typesOf({ a: [1, 'x', 2, true, null] })).toBe('(number | string | boolean | null)[]')
    expect(typesOf({ a: [1, 2], b: [] })).toBe('number[] | never[]')
    expect(typesOf({ a: [[1], [2, 'x']] })).toBe('(number[] | (number | string)[])[]')
  })

  it('types an empty object as Record<string, never>, and indents nested objects by depth', () => {
    expect(typesOf({ a: {} })).toBe('Record<string, never>')
    expect(typesOf({ a: { outer: { inner: 1, list: [{ deep: 'x' }] }, empty: {} } })).toBe(
      '{\n    outer: {\n      inner: number\n      list: {\n        deep: string\n      }[]\n    }\n    empty: Record<string, never>\n  }',
    )
  })

  it('quotes object keys that are not identifiers, and keeps those that are', () => {
    expect(typesOf({ a: { 'max-items': 1, $x: 2, _y: 3, '1st': 4, '': 5, 'a b': 6 } })).toBe(
      '{\n    "max-items": number\n    $x: number\n    _y: number\n    "1st": number\n    "": number\n    "a b": number\n  }',
    )
  })
})

describe('flagTypes() type names', () => {
  it.each(['interface', 'this', 'typeof', 'let', 'yield', 'unknown', 'never', 'null', 'true', 'enum', 'default'])('rejects the reserved word %j', (name) => {
    expect(() => flagTypes({ schemaVersion: 1, flags: {} }, name)).toThrow(TypeError)
    expect(() => flagTypes({ schemaVersion: 1, flags: {} }, name)).toThrow(`"${name}" is not a valid type name`)
  })

  it('names the type Flags by default', () => {
    expect(flagTypes({ schemaVersion: 1, flags: {} })).toContain('export type Flags = {')
  })
})
