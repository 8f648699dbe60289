import { createClient } from 'flagstage'
import type { Config, Context, FlagConfig } from 'flagstage'
import { parseArgs, parseInstant, UsageError } from '../args.ts'
import { EXIT, type Io } from '../io.ts'
import { InputError, readConfig, readUsers } from '../load.ts'
import { bold, count, dim, green, instant, pad, percent, red, yellow } from '../style.ts'

export const summary = 'the release review: per changed flag, who moves; exit 0 no change, 1 changes, 2 invalid input'

export const help = `Usage: flagstage diff <old.json> <new.json> [--users N | --context-file users.jsonl] [--context JSON] [--at instant] [--json]

Evaluates every flag of both configs for the same units, with the same evaluator as every client,
and reports per changed flag how many units gain or lose each variant (a 10% → 20% rollout:
+10% gain on, nobody loses it; a new salt: the reshuffle), flags added or removed, and schedule
and ramp boundaries that the new config introduces.

Options:
  --users N             simulate N users, userId "user-1" … "user-N" (default 10000)
  --context JSON        attributes every simulated user has, e.g. '{"country":"US"}'
  --context-file FILE   real contexts instead: one JSON object per line (JSONL) or a JSON array
  --at INSTANT          evaluate both at this time (ISO 8601 or epoch ms); default now
  --json                { changed, units, flags: [{ flag, status, moved, variants, transitions, boundaries }] }

Exit codes: 0 no change, 1 changes (so CI can require an approval), 2 invalid input or arguments.
`

/** How one flag's evaluations differ between two configs over the same units. */
export interface FlagDiff {
  flag: string
  status: 'added' | 'removed' | 'changed'
  /** Units whose variant differs. */
  moved: number
  /** Per variant: units before and after, and how many gained it or lost it. */
  variants: Record<string, { before: number; after: number; gained: number; lost: number }>
  /** Units per (before → after) pair that differ; `null` where the flag does not exist. */
  transitions: { from: string | null; to: string | null; units: number }[]
  /** Schedule and ramp instants in the new definition that the old one did not have. */
  boundaries: { what: string; at: string }[]
}

/** The instants at which a flag's answers change by themselves: schedule ends, ramp starts and ends. */
const boundariesOf = (def: FlagConfig | undefined): Map<string, string> => {
  const out = new Map<string, string>()
  if (!def) return out
  if (def.schedule?.from) out.set(`schedule.from ${def.schedule.from}`, def.schedule.from)
  if (def.schedule?.until) out.set(`schedule.until ${def.schedule.until}`, def.schedule.until)
  def.rules?.forEach((rule, i) => {
    const r = typeof rule.serve === 'object' && 'rollout' in rule.serve ? rule.serve.rollout : undefined
    if (typeof r === 'object') {
      out.set(`rules[${i}] ramp start ${r.start}`, r.start)
      out.set(`rules[${i}] ramp end ${r.end}`, r.end)
    }
  })
  return out
}

/** Compare two configs over `contexts` at `at`: the flags whose definition or evaluations differ. */
export const diffConfigs = (before: Config, after: Config, contexts: Context[], at: number): FlagDiff[] => {
  const a = createClient({ bootstrap: before, now: () => at })
  const b = createClient({ bootstrap: after, now: () => at })
  const keys = [...new Set([...Object.keys(before.flags), ...Object.keys(after.flags)])]
  const out: FlagDiff[] = []
  for (const key of keys) {
    const old = Object.hasOwn(before.flags, key) ? before.flags[key] : undefined
    const next = Object.hasOwn(after.flags, key) ? after.flags[key] : undefined
    const variants: FlagDiff['variants'] = {}
    const slot = (name: string) => (variants[name] ??= { before: 0, after: 0, gained: 0, lost: 0 })
    for (const def of [old, next]) for (const name of Object.keys(def?.variants ?? (def ? { on: 1, off: 1 } : {}))) slot(name)
    const pairs = new Map<string, { from: string | null; to: string | null; units: number }>()
    let moved = 0
    for (const ctx of contexts) {
      const from = old ? a.forContext(ctx).variant(key).name ?? null : null
      const to = next ? b.forContext(ctx).variant(key).name ?? null : null
      if (from !== null) slot(from).before++
      if (to !== null) slot(to).after++
      if (from === to) continue
      moved++
      if (from !== null) slot(from).lost++
      if (to !== null) slot(to).gained++
      const id = `${from}\u0000${to}`
      const pair = pairs.get(id) ?? { from, to, units: 0 }
      pair.units++
      pairs.set(id, pair)
    }
    const edited = JSON.stringify(old) !== JSON.stringify(next)
    // A segment edit counts for the flags whose units it moves (the others read the same either way).
    if (!edited && !moved) continue
    const oldBounds = boundariesOf(old)
    const boundaries = [...boundariesOf(next)].filter(([id]) => !oldBounds.has(id)).map(([id, t]) => ({ what: id.slice(0, id.lastIndexOf(' ')), at: t }))
    out.push({
      flag: key, status: !old ? 'added' : !next ? 'removed' : 'changed', moved, variants,
      transitions: [...pairs.values()].sort((x, y) => y.units - x.units), boundaries,
    })
  }
  a.close()
  b.close()
  return out
}

const sign = (n: number): string => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : '0')

export const render = (io: Io, diffs: FlagDiff[], total: number, label: string, files: [string, string], at: number): string => {
  const c = io.color
  let text = `${bold(c, `${files[0]} → ${files[1]}`)} over ${label}, at ${instant(at)}\n`
  if (!diffs.length) return `${text}${green(c, 'no flag changes')}\n`
  for (const d of diffs) {
    const mark = d.status === 'added' ? green(c, '+') : d.status === 'removed' ? red(c, '-') : yellow(c, '~')
    const status = d.status === 'changed' ? '' : ` (${d.status})`
    text += `\n${mark} ${bold(c, d.flag)}${status}: ${count(d.moved)} of ${count(total)} units move (${percent(d.moved, total)})\n`
    const width = Math.max(...Object.keys(d.variants).map((k) => k.length))
    for (const [name, v] of Object.entries(d.variants)) {
      const delta = v.after - v.before
      text += `    ${pad(name, width)}  ${count(v.before)} → ${count(v.after)} (${sign(delta)}, ${delta >= 0 ? '+' : '−'}${percent(Math.abs(delta), total)})` +
        `  gained by ${count(v.gained)} (${percent(v.gained, total)}), lost by ${count(v.lost)} (${percent(v.lost, total)})\n`
    }
    for (const t of d.transitions) text += dim(c, `    ${t.from ?? '(none)'} → ${t.to ?? '(none)'}: ${count(t.units)}\n`)
    for (const b of d.boundaries) {
      const days = (Date.parse(b.at) - at) / 86_400_000
      const when = days >= 0 ? `in ${days.toFixed(1)} days` : `${(-days).toFixed(1)} days ago`
      text += `    ${yellow(c, 'new boundary')} ${b.what} ${b.at} (${when})\n`
    }
  }
  const moved = diffs.filter((d) => d.moved).length
  return `${text}\n${diffs.length} flag${diffs.length === 1 ? '' : 's'} changed, ${moved} with units that move\n`
}

export const run = (args: string[], io: Io): number => {
  const { positionals, options } = parseArgs(args, { users: 'number', 'context-file': 'string', context: 'string', at: 'string', json: 'boolean' })
  if (positionals.length !== 2) throw new UsageError('name the old and the new config')
  const files = positionals as [string, string]
  let before: Config, after: Config, users: ReturnType<typeof readUsers>
  try {
    before = readConfig(io, files[0])
    after = readConfig(io, files[1])
    users = readUsers(io, options)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    io.err(`flagstage diff: ${error.message}\n`)
    return EXIT.USAGE // invalid input: neither "no change" nor "changes"
  }
  const at = parseInstant(options.at, io.now())
  const diffs = diffConfigs(before, after, users.contexts, at)
  if (options.json) io.out(`${JSON.stringify({ changed: diffs.length > 0, units: users.contexts.length, at: instant(at), flags: diffs }, null, 2)}\n`)
  else io.out(render(io, diffs, users.contexts.length, users.label, files, at))
  return diffs.length ? EXIT.FAIL : EXIT.OK
}
