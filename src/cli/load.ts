import { closestName, inCidrOperator, isFlagstageError, matchesOperator, registerOperators, validateConfig } from 'flagstage'
import type { Config, Context } from 'flagstage'
import { UsageError } from './args.ts'
import type { Io } from './io.ts'
import { JsonSyntaxError, parseJson } from './json.ts'

// The CLI reads configs written for any app: it knows the opt-in operators too.
registerOperators(matchesOperator, inCidrOperator)

/** A file that could not be used: the message says which file and why (line and column for JSON). */
export class InputError extends Error {
  override readonly name = 'InputError'
}

/** Read a file; a missing or unreadable file is an InputError naming it. */
export const readText = (io: Io, file: string): string => {
  try {
    return io.readFile(file)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`)
  }
}

/** Read and parse a strict JSON file; a syntax error names the file, line and column. */
export const readJson = (io: Io, file: string): { text: string; value: unknown } => {
  const text = readText(io, file)
  try {
    return { text, value: parseJson(text) }
  } catch (error) {
    throw new InputError(`${file}: ${error instanceof JsonSyntaxError ? error.message : `not JSON: ${(error as Error).message}`}`)
  }
}

/** Read a config and validate it; the first problem names the file and the JSON path (`flagstage validate` lists all). */
export const readConfig = (io: Io, file: string): Config => {
  const { value } = readJson(io, file)
  try {
    return validateConfig(value)
  } catch (error) {
    const message = isFlagstageError(error) ? error.message : String(error)
    throw new InputError(`${file}: invalid config: ${message} (run flagstage validate ${file} for every problem)`)
  }
}

/** The flag `key` of `config`, or an InputError with "did you mean". */
export const requireFlag = (config: Config, key: string, file: string): void => {
  if (Object.hasOwn(config.flags, key)) return
  const hint = closestName(key, Object.keys(config.flags))
  throw new InputError(`${file}: no flag ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`)
}

const asContext = (value: unknown, where: string): Context => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: a context is a JSON object, got ${JSON.stringify(value)?.slice(0, 40)}`)
  return value as Context
}

/** `--context '{"userId":"u1"}'` or `--context-file ctx.json`. */
export const readContext = (io: Io, options: Record<string, unknown>): Context => {
  if (options.context !== undefined && options['context-file'] !== undefined) throw new UsageError('give --context or --context-file, not both')
  if (typeof options.context === 'string') {
    try {
      return asContext(parseJson(options.context), '--context')
    } catch (error) {
      if (error instanceof InputError) throw error
      throw new InputError(`--context: ${(error as Error).message}`)
    }
  }
  if (typeof options['context-file'] === 'string') return asContext(readJson(io, options['context-file']).value, options['context-file'])
  return {}
}

/**
 * The units to simulate: `--context-file users.jsonl` (one JSON context per line, or a JSON array), or
 * `--users N` simulated users `{ userId: "user-1" }` … `"user-N"` merged over `--context` (default 10,000).
 */
export const readUsers = (io: Io, options: Record<string, unknown>): { contexts: Context[]; label: string } => {
  const file = options['context-file']
  if (typeof file === 'string') {
    if (options.users !== undefined) throw new UsageError('give --users or --context-file, not both')
    const text = readText(io, file)
    const trimmed = text.trim()
    let contexts: Context[]
    if (trimmed.startsWith('[')) {
      const { value } = readJson(io, file)
      contexts = (value as unknown[]).map((v, i) => asContext(v, `${file}[${i}]`))
    } else {
      contexts = []
      const lines = text.split('\n')
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim()
        if (!line) continue
        try {
          contexts.push(asContext(parseJson(line), `${file}:${i + 1}`))
        } catch (error) {
          if (error instanceof InputError) throw error
          const at = error instanceof JsonSyntaxError ? `${i + 1}:${error.column}: ${error.reason}` : `${i + 1}: ${(error as Error).message}`
          throw new InputError(`${file}:${at}`)
        }
      }
    }
    if (!contexts.length) throw new InputError(`${file}: no contexts`)
    return { contexts, label: `${contexts.length.toLocaleString('en-US')} contexts from ${file}` }
  }
  const n = (options.users as number | undefined) ?? 10_000
  const base = typeof options.context === 'string' ? readContext(io, { context: options.context }) : {}
  const contexts = Array.from({ length: n }, (_, i) => ({ ...base, userId: `user-${i + 1}` }))
  const extra = Object.keys(base).length ? ` with ${JSON.stringify(base)}` : ''
  return { contexts, label: `${n.toLocaleString('en-US')} simulated users (user-1 … user-${n})${extra}` }
}
