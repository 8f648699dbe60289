import { readFileSync } from 'node:fs'

/** What a command may touch: injected, so tests call `run(args, io)` with strings and a fake file system. */
export interface Io {
  /** Write to standard output (results). */
  out: (text: string) => void
  /** Write to standard error (problems, usage). */
  err: (text: string) => void
  /** Read a file as UTF-8; `-` is standard input. Throws like fs.readFileSync. */
  readFile: (path: string) => string
  /** ANSI colour: only on a TTY, never with NO_COLOR. */
  color: boolean
  /** The clock for `--at` defaults and "in 2 days". */
  now: () => number
  /** Environment variables (publish tokens and the like). */
  env: Record<string, string | undefined>
}

/** Exit codes shared by every command. */
export const EXIT = {
  /** Success: valid, explained, no change. */
  OK: 0,
  /** The answer is "no": invalid config (validate), changes found (diff), unknown flag. */
  FAIL: 1,
  /** The command could not run: bad arguments, unreadable or invalid input (diff). */
  USAGE: 2,
} as const

/** The real process: stdout/stderr, the file system, colour when the stream is a TTY and NO_COLOR is unset. */
export const nodeIo = (): Io => {
  const env = process.env
  const color = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
    ? true
    : !!process.stdout.isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb'
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
    color,
    now: Date.now,
    env,
  }
}
