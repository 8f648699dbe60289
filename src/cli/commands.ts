import * as diff from './commands/diff.ts'
import * as explain from './commands/explain.ts'
import * as publish from './commands/publish.ts'
import * as rollback from './commands/rollback.ts'
import * as rollout from './commands/rollout.ts'
import * as types from './commands/types.ts'
import * as validate from './commands/validate.ts'
import type { Io } from './io.ts'

/** A command: its name, one line for the overview, its --help text, and `run(args, io) → exit code`. */
export interface Command {
  name: string
  summary: string
  help: string
  run: (args: string[], io: Io) => number | Promise<number>
}

/** Every command, in the order `flagstage --help` lists them. Add a command: one file, one line here. */
export const COMMANDS: Command[] = [
  { name: 'validate', ...validate },
  { name: 'explain', ...explain },
  { name: 'rollout', ...rollout },
  { name: 'diff', ...diff },
  { name: 'types', ...types },
  { name: 'publish', ...publish },
  { name: 'rollback', ...rollback },
]
