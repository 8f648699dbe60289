import { describeFlag } from 'flagstage'
import type { Condition, ConditionDescription, FlagDescription, RuleDescription, Serve } from 'flagstage'
import { parseArgs, parseInstant, UsageError } from '../args.ts'
import { EXIT, type Io } from '../io.ts'
import { readConfig, readContext, requireFlag } from '../load.ts'
import { bold, cyan, dim, green, instant, red, yellow } from '../style.ts'

export const summary = 'why a flag serves what it serves to one context'

export const help = `Usage: flagstage explain <config.json> <flag> [--context JSON | --context-file ctx.json] [--at instant] [--json]

Evaluates <flag> for one context with the same evaluator as every client, and says why: the
kill switch, the schedule at that instant, each prerequisite, and each rule in order (which
condition failed, with the attribute's value; the unit's bucket against the rollout threshold,
or the split ranges), then the value, variant and reason served.

Options:
  --context JSON        the context, e.g. '{"userId":"u-1","country":"US"}'
  --context-file FILE   the context from a JSON file
  --at INSTANT          evaluate at another time (ISO 8601 or epoch ms); default now
  --json                the description as JSON (describeFlag's result)

Exit codes: 0 explained, 1 invalid config or unknown flag, 2 bad arguments.
`

const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v))

/** A condition as one line of text: `country in ["US","CA"]`. */
const conditionText = (c: Condition): string => {
  if ('all' in c) return `all of ${c.all.length}`
  if ('any' in c) return `any of ${c.any.length}`
  if ('not' in c) return 'not'
  if ('segment' in c) return `segment ${c.segment}`
  const operand = c.op === 'exists' ? '' : ` ${JSON.stringify(c.values ?? c.value)}`
  return `${c.attr} ${c.op}${operand}${c.caseInsensitive ? ' (case-insensitive)' : ''}`
}

const conditionLines = (io: Io, d: ConditionDescription, indent: string, out: string[]): void => {
  const mark = d.passed ? green(io.color, '✓') : red(io.color, '✗')
  const actual = 'attr' in d.condition ? dim(io.color, `  (${d.condition.attr} = ${show(d.actual)})`) : ''
  out.push(`${indent}${mark} ${conditionText(d.condition)}${actual}`)
  for (const part of d.parts ?? []) conditionLines(io, part, `${indent}  `, out)
}

const serveText = (serve: Serve): string => {
  if (typeof serve === 'string') return `serve ${serve}`
  if ('split' in serve) return `split ${Object.entries(serve.split).map(([k, w]) => `${k} ${w}%`).join(' / ')}${serve.by ? ` by ${serve.by}` : ''}`
  const r = serve.rollout
  const p = typeof r === 'number' ? `${r}%` : `ramp ${r.from}% → ${r.to}% (${r.start} → ${r.end})`
  return `rollout ${p}${serve.then ? '' : ` of ${serve.variant ?? 'on'}`}${serve.by ? ` by ${serve.by}` : ''}${serve.then ? `, then ${serveText(serve.then)}` : ''}`
}

const outcomeText = (io: Io, r: RuleDescription): string => {
  switch (r.outcome) {
    case 'served':
      if (r.ranges) {
        const range = r.ranges.find((x) => x.variant === r.variant)!
        return green(io.color, `→ ${r.variant}`) + dim(io.color, ` (unit ${r.unit}: variant bucket ${r.bucket} in ${range.from}–${range.to - 1})`)
      }
      if (r.then) {
        const range = r.then.ranges!.find((x) => x.variant === r.variant)!
        return green(io.color, `→ ${r.variant}`) +
          dim(io.color, ` (unit ${r.unit}: bucket ${r.bucket} < ${r.threshold}; split unit ${r.then.unit}: variant bucket ${r.then.bucket} in ${range.from}–${range.to - 1})`)
      }
      if (r.threshold !== undefined) return green(io.color, `→ ${r.variant}`) + dim(io.color, ` (unit ${r.unit}: bucket ${r.bucket} < ${r.threshold})`)
      return green(io.color, `→ ${r.variant}`)
    case 'no-match': return red(io.color, 'no match')
    case 'no-unit': return yellow(io.color, r.then && r.unit !== undefined
      ? `skipped: unit ${r.unit} is in the rollout (bucket ${r.bucket} < ${r.threshold}) but the context has no unit for its split ("by" of then)`
      : 'skipped: the context has no unit id (userId, sessionId or anonymousId, or its "by" attribute)')
    case 'outside': return yellow(io.color, `outside: unit ${r.unit}: bucket ${r.bucket} ≥ ${r.threshold}`) + dim(io.color, ', falls through')
    case 'not-reached': return dim(io.color, 'not reached')
  }
}

/** The description as text, one fact per line. */
export const renderDescription = (io: Io, d: FlagDescription): string => {
  const c = io.color
  const lines: string[] = []
  lines.push(`${bold(c, d.key)} → ${bold(c, String(d.variant))} ${dim(c, `(${JSON.stringify(d.value)})`)}  reason ${cyan(c, d.reason)}${d.ruleIndex >= 0 ? `, rule ${d.ruleIndex}` : ''}`)
  lines.push(dim(c, `at ${instant(d.at)}${d.revision ? `, revision ${d.revision}` : ''}`))
  const decided: Record<FlagDescription['decidedBy'], string> = {
    'not-found': 'the flag is not in the config',
    snapshot: 'an evaluated snapshot (served as is: it has no rules)',
    override: `forced to ${d.override} by an override`,
    'kill-switch': `the kill switch: enabled is false, so everyone gets ${d.offVariant}`,
    schedule: `the schedule: the flag is off ${d.schedule?.state === 'before' ? `until ${d.schedule.from}` : `since ${d.schedule?.until}`}`,
    prerequisite: `a prerequisite is not met, so ${d.offVariant} is served`,
    rule: `rule ${d.ruleIndex}`,
    'no-rule': `no rule served, so the off variant ${d.offVariant} is served`,
  }
  lines.push(`decided by ${decided[d.decidedBy]}`)
  if (d.schedule) {
    const state = d.schedule.state === 'active' ? green(c, 'active') : red(c, d.schedule.state === 'before' ? 'not started' : 'ended')
    lines.push(`schedule ${d.schedule.from ?? '…'} → ${d.schedule.until ?? '…'}: ${state}`)
  }
  for (const r of d.requires) {
    const mark = r.met ? green(c, '✓') : red(c, '✗')
    lines.push(`requires ${r.flag} = ${r.variant}: ${mark} serves ${r.served ?? '(no such flag)'}`)
  }
  for (const r of d.rules) {
    lines.push(`rule ${r.index}: ${r.if ? 'if …' : 'everyone'}, ${serveText(r.serve)}: ${outcomeText(io, r)}`)
    if (r.if) conditionLines(io, r.if, '    ', lines)
  }
  return `${lines.join('\n')}\n`
}

export const run = (args: string[], io: Io): number => {
  const { positionals, options } = parseArgs(args, { context: 'string', 'context-file': 'string', at: 'string', json: 'boolean' })
  if (positionals.length !== 2) throw new UsageError('name a config file and a flag')
  const [file, key] = positionals as [string, string]
  const at = parseInstant(options.at, io.now())
  const context = readContext(io, options)
  const config = readConfig(io, file)
  requireFlag(config, key, file)
  const d = describeFlag(config, key, context, { now: at })
  io.out(options.json ? `${JSON.stringify(d, null, 2)}\n` : renderDescription(io, d))
  return EXIT.OK
}
