/**
 * Where flagstage reports: `console` by default, or any object with `warn` and `error` (pass
 * `{ warn() {}, error() {} }` to silence it, or route it to your own logging).
 * @example
 * createClient({ source, logger: { warn: (m) => log.warn(m), error: (m) => log.error(m) } })
 */
export interface Logger {
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

/** The process-wide state every copy (ESM and CJS) of flagstage shares; created on first use. */
export interface ProcessState {
  /** The client `configure()` made. */
  client: unknown
  /** Messages already logged, per logger (so `console` hears each one once per process). */
  logged: WeakMap<Logger, Set<string>>
}

// Symbol.for is global across realms' module copies in one process: the ESM and the CJS build (or
// two installed copies) find the same slot. The version in the key changes if the slot's shape does.
const SLOT = 'flagstage.process.v1'

let state: ProcessState | undefined

/** The state shared by every flagstage copy loaded in this process (no work at import time). */
export const processState = (): ProcessState => {
  if (state) return state
  const g = globalThis as unknown as Record<symbol, ProcessState | undefined>
  return (state = g[Symbol.for(SLOT)] ??= { client: undefined, logged: new WeakMap() })
}

/**
 * Log `message` at `level` once per logger (and `key`, the message by default). Never throws: a
 * throwing logger is ignored. Adapters report through it with their client's logger.
 * @example
 * logOnce(client.logger, 'warn', '[flagstage/node] the context function threw', error)
 */
export const logOnce = (logger: Logger, level: 'warn' | 'error', message: string, detail?: unknown, key: string = message): void => {
  const { logged } = processState()
  let seen = logged.get(logger)
  if (!seen) logged.set(logger, (seen = new Set()))
  if (seen.has(key)) return
  seen.add(key)
  try {
    logger[level](message, ...(detail === undefined ? [] : [detail]))
  } catch {
    // a logger that throws must not break evaluation or a source
  }
}
