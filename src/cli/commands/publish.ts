import { validateConfig } from 'flagstage'
import type { Config } from 'flagstage'
import { parseArgs, UsageError } from '../args.ts'
import { EXIT, type Io } from '../io.ts'
import { readJson, readUsers } from '../load.ts'
import { findProblems } from '../problems.ts'
import { bold, green, red, yellow } from '../style.ts'
import { parseTarget, TargetError } from '../targets.ts'
import type { Target } from '../targets.ts'
import { diffConfigs, render } from './diff.ts'

/** A target failed: some targets may have the new config, the report says which. */
export const TARGET_FAILED = 3

export const summary = 'validate, show the diff against what is live, publish atomically to a dir, nchan or an HTTP URL'

export const help = `Usage: flagstage publish <config.json> --to <target> [--to <target>...] [--dry-run] [--live URL] [--users N]

Validates the config (refusing it with every problem's JSON path), prints the diff summary against the
config live at the first target that can tell (as flagstage diff does), then publishes to each target in
the order given, stopping at the first that fails. Put the static file first: it is what stream clients
refetch when they miss a patch. After a failure, run the same command again: targets that already have the
config take it again unchanged (their previous config is kept), and the rest get it.

Targets:
  dir:/srv/flags               write /srv/flags/flags.json atomically (temp file + rename; a crash leaves the
                               old config live) and keep the one it replaces as flags.previous.json
  nchan:http://host/pub/flags  POST the config to an nchan publisher location as an EventSource "config"
                               event (nchan numbers its messages; subscribers resume with Last-Event-ID)
  http:https://host/flags.json PUT the config (GET gives what is live)
FLAGSTAGE_PUBLISH_TOKEN, when set, is sent as "Authorization: Bearer <token>" to nchan and HTTP targets.

Options:
  --dry-run     validate and print the diff; publish nothing
  --live URL    where the live config can be read when no target can say (e.g. nchan only: the static file)
  --users N     units the diff simulates (default 10000)

Exit codes: 0 published (or, with --dry-run, publishable), 1 refused (invalid config, or its revision is
already live with other content), 2 bad arguments, 3 a target failed.
`

/** Every `--to` value (the option repeats), and the other arguments. */
export const takeTargets = (args: readonly string[]): { targets: string[]; rest: string[] } => {
  const targets: string[] = []
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--to') {
      const value = args[++i]
      if (value === undefined) throw new UsageError('--to needs a value')
      targets.push(value)
    } else if (arg.startsWith('--to=')) targets.push(arg.slice(5))
    else rest.push(arg)
  }
  if (!targets.length) throw new UsageError('name a target with --to')
  return { targets, rest }
}

/** The config live at the first target that can tell, or undefined. */
const liveConfig = async (targets: Target[]): Promise<{ config: Config; at: string } | undefined> => {
  for (const target of targets) {
    const config = await target.live()
    if (config) return { config, at: target.label }
  }
  return undefined
}

/**
 * The release steps shared by publish and rollback: the diff summary against what is live, then
 * each target in order. Returns the exit code.
 */
export const release = async (
  io: Io, config: Config, text: string, targets: Target[], options: Record<string, unknown>, verb: string, label: string,
): Promise<number> => {
  const c = io.color
  try {
    const live = await liveConfig(targets)
    if (live && live.config.revision === config.revision && JSON.stringify(live.config) !== JSON.stringify(config)) {
      io.err(`${red(c, `flagstage ${verb}`)}: revision ${JSON.stringify(config.revision)} is already live at ${live.at} with other content; give the new config a new revision\n`)
      return EXIT.FAIL
    }
    if (!live) io.out(`no live config at ${targets.map((t) => t.label).join(', ')}: first release\n`)
    else {
      const users = readUsers(io, options)
      const now = io.now()
      io.out(render(io, diffConfigs(live.config, config, users.contexts, now), users.contexts.length, users.label, [`live (${live.config.revision ?? 'no revision'})`, label], now))
    }
    if (options['dry-run']) {
      io.out(`${yellow(c, 'dry run')}: would ${verb} ${bold(c, String(config.revision))} to ${targets.map((t) => t.label).join(', ')}\n`)
      return EXIT.OK
    }
    for (const [i, target] of targets.entries()) {
      try {
        const done = await target.publish(config, text)
        io.out(`${green(c, verb === 'rollback' ? 'rolled back' : 'published')} ${bold(c, String(config.revision))} to ${target.label}${done.detail ? ` (${done.detail})` : ''}\n`)
      } catch (error) {
        if (!(error instanceof TargetError)) throw error
        const untouched = targets.slice(i + 1).map((t) => t.label)
        const done = targets.slice(0, i).map((t) => t.label)
        io.err(`${red(c, `flagstage ${verb}`)}: ${error.message}\n  not published to ${[target.label, ...untouched].join(', ')}\n` +
          (done.length ? `  ${done.join(', ')} already ${done.length > 1 ? 'have' : 'has'} it: run the same command again to finish (what is already there is kept as it is)\n` : ''))
        return TARGET_FAILED
      }
    }
    return EXIT.OK
  } catch (error) {
    if (!(error instanceof TargetError)) throw error
    io.err(`${red(c, `flagstage ${verb}`)}: ${error.message}\n`)
    return TARGET_FAILED
  }
}

export const run = async (args: string[], io: Io): Promise<number> => {
  const { targets: specs, rest } = takeTargets(args)
  const { positionals, options } = parseArgs(rest, { 'dry-run': 'boolean', live: 'string', users: 'number' })
  if (positionals.length !== 1) throw new UsageError('name one config file')
  const file = positionals[0]!
  const targets = specs.map((spec) => parseTarget(spec, io.env, options.live as string | undefined))
  const { value } = readJson(io, file)
  const problems = findProblems(value)
  if (problems.length) {
    io.err(`${red(io.color, 'flagstage publish')}: ${file} is not a valid config; nothing published\n`)
    for (const p of problems) io.err(`  ${p.path ? `${bold(io.color, p.path)}: ` : ''}${p.message}\n`)
    return EXIT.FAIL
  }
  // Compact JSON: one line, so it also travels as a single SSE `data:` line.
  return release(io, validateConfig(value), JSON.stringify(value), targets, options, 'publish', file)
}
