import type { Config, JsonValue } from './types.ts'

const IDENT = /^[A-Za-z_$][\w$]*$/
const key = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k))

// Words a type alias cannot be named: reserved words, and the names of TypeScript's own types.
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with implements interface ' +
    'let package private protected public static yield any bigint boolean never number object string symbol undefined unknown')
    .split(' '),
)

/** The TypeScript type of one JSON value: a top-level string as its literal, everything else widened. */
const typeOf = (value: JsonValue, indent: string, literal = false): string => {
  if (value === null) return 'null'
  if (typeof value === 'string') return literal ? JSON.stringify(value) : 'string'
  if (typeof value !== 'object') return typeof value
  if (Array.isArray(value)) {
    const items = [...new Set(value.map((v) => typeOf(v, indent)))]
    return items.length === 0 ? 'never[]' : items.length === 1 ? `${items[0]}[]` : `(${items.join(' | ')})[]`
  }
  const inner = `${indent}  `
  const fields = Object.keys(value).map((k) => `${inner}${key(k)}: ${typeOf(value[k]!, inner)}`)
  return fields.length ? `{\n${fields.join('\n')}\n${indent}}` : 'Record<string, never>'
}

/**
 * TypeScript source of a module declaring `type <name>` for a config: each flag key mapped to
 * `Flag<value type, variant names>`, for `createClient<Flags>()` and `createFlagsHooks<Flags>()`,
 * so keys, values and variant names (`overrides`, `<Feature variant>`) are all checked.
 * Also available as a CLI: `npx flagstage-types flags.json > src/flags.ts`.
 * @throws {TypeError} when `name` is not a valid type name (an identifier, not a reserved word).
 * @example
 * flagTypes({ schemaVersion: 1, flags: { b: { enabled: true, variants: { a: 'x', b: 'y' }, offVariant: 'a' } } })
 * // import type { Flag } from 'flagstage'
 * //
 * // export type Flags = {
 * //   b: Flag<"x" | "y", "a" | "b">
 * // }
 */
export const flagTypes = (config: Config, name = 'Flags'): string => {
  if (!IDENT.test(name) || RESERVED.has(name)) {
    throw new TypeError(`flagTypes: ${JSON.stringify(name)} is not a valid type name (use an identifier like AppFlags)`)
  }
  const lines = Object.keys(config.flags).map((flag) => {
    const variants = config.flags[flag]!.variants ?? { on: true, off: false }
    const names = Object.keys(variants)
    const types = [...new Set(names.map((v) => typeOf(variants[v]!, '  ', true)))]
    return `  ${key(flag)}: Flag<${types.join(' | ')}, ${names.map((n) => JSON.stringify(n)).join(' | ')}>`
  })
  return `import type { Flag } from 'flagstage'\n\nexport type ${name} = {\n${lines.join('\n')}\n}\n`
}
