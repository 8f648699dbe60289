/** A command's options: each name with its kind; `string[]` options may repeat. */
export type OptionSpec = Record<string, 'boolean' | 'string' | 'number'>

/** Parsed arguments: positionals in order, options by name. */
export interface Parsed {
  positionals: string[]
  options: Record<string, string | number | boolean | undefined>
}

/** A mistake in the command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Parse `args` against `spec`: `--name value`, `--name=value`, `--flag`; `--` ends options. Unknown options
 * and missing values are UsageErrors (with "did you mean" from the caller's spec).
 */
export const parseArgs = (args: readonly string[], spec: OptionSpec): Parsed => {
  const positionals: string[] = []
  const options: Parsed['options'] = {}
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`)
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    const kind = spec[name]
    if (!kind) {
      const known = Object.keys(spec).find((k) => k.startsWith(name) || name.startsWith(k))
      throw new UsageError(`unknown option --${name}${known ? ` (did you mean --${known}?)` : ''}`)
    }
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`)
      options[name] = true
      continue
    }
    const text = eq >= 0 ? arg.slice(eq + 1) : args[++i]
    if (text === undefined) throw new UsageError(`--${name} needs a value`)
    if (kind === 'number') {
      const n = Number(text)
      if (text.trim() === '' || !Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} needs a positive whole number, got ${JSON.stringify(text)}`)
      options[name] = n
    } else options[name] = text
  }
  return { positionals, options }
}

/** An instant from `--at`: ISO 8601 (`2026-12-03`, `2026-12-03T09:00:00Z`) or epoch milliseconds. */
export const parseInstant = (text: string | number | boolean | undefined, fallback: number): number => {
  if (text === undefined) return fallback
  const s = String(text)
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s)
  if (!Number.isFinite(t)) throw new UsageError(`--at needs an ISO 8601 instant or epoch milliseconds, got ${JSON.stringify(s)}`)
  return t
}
