import type { Config, JsonValue } from './types.ts'

const IDENT = /^[A-Za-z_$][\w$]*$/
const key = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k))

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
 * TypeScript source declaring `type <name>` for a config: each flag key mapped to the union of its
 * variants' value types, for `createClient<Flags>()` and `createFlagsHooks<Flags>()`.
 * Also available as a CLI: `npx flagstage-types flags.json > src/flags.ts`.
 * @example
 * flagTypes({ schemaVersion: 1, flags: { b: { enabled: true, variants: { a: 'x', b: 'y' } } } })
 * // export type Flags = {\n  b: "x" | "y"\n}
 */
export const flagTypes = (config: Config, name = 'Flags'): string => {
  const lines = Object.keys(config.flags).map((flag) => {
    const variants = config.flags[flag]!.variants ?? { on: true, off: false }
    const types = [...new Set(Object.keys(variants).map((v) => typeOf(variants[v]!, '  ', true)))]
    return `  ${key(flag)}: ${types.join(' | ')}`
  })
  return `export type ${name} = {\n${lines.join('\n')}\n}\n`
}
