import { logOnce, type Logger } from './logger.ts'

/**
 * Development warning, once per message (or `key`) and logger. Call it only behind the guard
 * bundlers replace, inside a try (a browser without a bundler has no `process`), so that
 * production bundles drop the call and its message text:
 *
 *   try { if (process.env.NODE_ENV !== 'production') warnOnce('...') } catch {}
 *
 * esbuild, Vite and webpack replace `process.env.NODE_ENV` and then drop the dead branch and the empty
 * try; `typeof process` guards are not replaced, and would hide warnings in browser dev builds.
 */
export const warnOnce = (message: string, detail?: unknown, key: string = message, logger: Logger = console): void =>
  logOnce(logger, 'warn', `[flagstage] ${message}`, detail, key)
