import { parseArgs, UsageError } from '../args.ts'
import { EXIT, type Io } from '../io.ts'
import { red } from '../style.ts'
import { parseTarget, TargetError } from '../targets.ts'
import { release, TARGET_FAILED, takeTargets } from './publish.ts'

export const summary = 'publish again the config a dir target kept before the last publish'

export const help = `Usage: flagstage rollback --to dir:/srv/flags [--to <target>...] [--dry-run] [--live URL] [--users N]

Reads the previous config that the first dir: target kept (flags.previous.json), prints the diff from
what is live back to it, and publishes it to every target in the order given, exactly as flagstage
publish does (its revision unchanged: clients already know it). The config rolled back from becomes the
new previous one, so a second rollback undoes the first.

Options:
  --dry-run     print the diff; publish nothing
  --live URL    where the live config can be read when no target can say
  --users N     units the diff simulates (default 10000)

Exit codes: 0 rolled back, 1 nothing to roll back to (no previous config, or it is the live one),
2 bad arguments (no dir: target), 3 a target failed.
`

export const run = async (args: string[], io: Io): Promise<number> => {
  const { targets: specs, rest } = takeTargets(args)
  const { positionals, options } = parseArgs(rest, { 'dry-run': 'boolean', live: 'string', users: 'number' })
  if (positionals.length) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}: rollback takes no config file`)
  const targets = specs.map((spec) => parseTarget(spec, io.env, options.live as string | undefined))
  const keeper = targets.find((t) => t.previous)
  if (!keeper) throw new UsageError('rollback needs a dir: target: it keeps the previous config')
  const fail = (message: string): number => {
    io.err(`${red(io.color, 'flagstage rollback')}: ${message}\n`)
    return EXIT.FAIL
  }
  let previous, live
  try {
    previous = await keeper.previous!()
    live = await keeper.live()
  } catch (error) {
    if (!(error instanceof TargetError)) throw error
    io.err(`${red(io.color, 'flagstage rollback')}: ${error.message}\n`)
    return TARGET_FAILED
  }
  if (!previous) return fail(`${keeper.label} keeps no previous config (nothing was published over another yet)`)
  if (live && JSON.stringify(live) === JSON.stringify(previous)) return fail(`the previous config (${previous.revision}) is the live one: nothing to roll back`)
  return release(io, previous, JSON.stringify(previous), targets, options, 'rollback', `previous (${previous.revision ?? 'no revision'})`)
}
