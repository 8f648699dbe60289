import { createClient } from 'flagstage'
import type { Config, Context, FlagConfig } from 'flagstage'
import { parseArgs, parseInstant, UsageError } from '../args.ts'
import { EXIT, type Io } from '../io.ts'
import { readConfig, readUsers, requireFlag } from '../load.ts'
import { bar, bold, count, dim, instant, pad, percent } from '../style.ts'

export const summary = 'how many units get each variant, and over a ramp the share at each day'

export const help = `Usage: flagstage rollout <config.json> <flag> [--users N | --context-file users.jsonl] [--context JSON] [--at instant] [--json]

Evaluates <flag> for many units with the same evaluator as every client and counts who gets each
variant, with a bar chart. When the flag ramps ({ "rollout": { "from", "to", "start", "end" } }),
also shows the share of each variant at each day of the ramp.

Options:
  --users N             simulate N users, userId "user-1" … "user-N" (default 10000)
  --context JSON        attributes every simulated user has, e.g. '{"country":"US"}'
  --context-file FILE   real contexts instead: one JSON object per line (JSONL) or a JSON array
  --at INSTANT          evaluate at another time (ISO 8601 or epoch ms); default now
  --json                { flag, at, units, variants: { name: count }, ramp: [{ at, variants }] }

Exit codes: 0 done, 1 invalid config or unknown flag, 2 bad arguments.
`

/** Units per variant of `key` at `at`, every variant listed (0 included), in the flag's order. */
export const countVariants = (config: Config, key: string, contexts: Context[], at: number): Record<string, number> => {
  const def = config.flags[key]!
  const counts: Record<string, number> = {}
  for (const name of Object.keys(def.variants ?? { on: true, off: false })) counts[name] = 0
  const client = createClient({ bootstrap: config, now: () => at })
  for (const ctx of contexts) {
    const name = client.forContext(ctx).variant(key).name
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1
  }
  client.close()
  return counts
}

const DAY = 86_400_000

/** Instants to sample a flag's ramps at: each day from the first start to the last end (24 steps when shorter than 2 days). */
export const rampSteps = (def: FlagConfig): number[] => {
  let start = Infinity
  let end = -Infinity
  for (const rule of def.rules ?? []) {
    const r = typeof rule.serve === 'object' && 'rollout' in rule.serve ? rule.serve.rollout : undefined
    if (typeof r === 'object') {
      start = Math.min(start, Date.parse(r.start))
      end = Math.max(end, Date.parse(r.end))
    }
  }
  if (!(end > start)) return []
  const step = end - start >= 2 * DAY ? DAY : (end - start) / 24
  const steps: number[] = []
  for (let t = start; t < end; t += step) steps.push(t)
  steps.push(end)
  return steps
}

const chart = (io: Io, counts: Record<string, number>, total: number): string => {
  const width = Math.max(...Object.keys(counts).map((k) => k.length))
  const digits = count(total).length
  return Object.entries(counts)
    .map(([name, n]) => `  ${pad(name, width)}  ${bar(n / total)}  ${count(n).padStart(digits)}  ${percent(n, total).padStart(7)}\n`)
    .join('')
    .replace(/█+/g, (b) => (io.color ? `\u001b[36m${b}\u001b[39m` : b))
}

export const run = (args: string[], io: Io): number => {
  const { positionals, options } = parseArgs(args, { users: 'number', 'context-file': 'string', context: 'string', at: 'string', json: 'boolean' })
  if (positionals.length !== 2) throw new UsageError('name a config file and a flag')
  const [file, key] = positionals as [string, string]
  const at = parseInstant(options.at, io.now())
  const { contexts, label } = readUsers(io, options)
  const config = readConfig(io, file)
  requireFlag(config, key, file)
  const counts = countVariants(config, key, contexts, at)
  const ramp = rampSteps(config.flags[key]!).map((t) => ({ at: t, variants: countVariants(config, key, contexts, t) }))
  const total = contexts.length
  if (options.json) {
    io.out(`${JSON.stringify({ flag: key, at: instant(at), units: total, variants: counts, ramp: ramp.map((r) => ({ at: instant(r.at), variants: r.variants })) }, null, 2)}\n`)
    return EXIT.OK
  }
  let text = `${bold(io.color, key)} over ${label}, at ${instant(at)}\n${chart(io, counts, total)}`
  if (ramp.length) {
    text += `\n${bold(io.color, 'ramp')} ${dim(io.color, '(share of each variant)')}\n`
    const names = Object.keys(counts)
    for (const r of ramp) {
      const shares = names.map((name) => `${name} ${percent(r.variants[name]!, total).padStart(7)}`).join('  ')
      const lead = r.variants[names.find((n) => n !== (config.flags[key]!.offVariant ?? 'off')) ?? names[0]!]!
      text += `  ${instant(r.at)}  ${bar(lead / total, 20)}  ${shares}\n`
    }
  }
  io.out(text)
  return EXIT.OK
}
