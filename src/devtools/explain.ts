import type { ConditionDescription, Condition, FlagConfig, FlagDescription, Ramp, RuleDescription, Serve } from 'flagstage'
import { h, type Child } from './dom.ts'

// The explanation of one row: why the flag serves what it serves, from describeFlag (core decides every
// condition, bucket and threshold; this file only words them).

const MAX_TEXT = 160

export const json = (value: unknown): string => {
  let out: string
  try {
    out = JSON.stringify(value) ?? String(value)
  } catch {
    out = String(value)
  }
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT - 1)}…` : out
}

const code = (value: string): HTMLElement => h('code', {}, value)

/** A condition in words: `country in "US", "CA"`. */
export const conditionText = (c: Condition): string => {
  let out: string
  if ('all' in c) out = `all of (${c.all.map(conditionText).join('; ')})`
  else if ('any' in c) out = `any of (${c.any.map(conditionText).join('; ')})`
  else if ('not' in c) out = `not (${conditionText(c.not)})`
  else if ('segment' in c) out = `segment ${c.segment}`
  else {
    const operand = c.values ? ` ${c.values.map(json).join(', ')}` : c.value !== undefined ? ` ${json(c.value)}` : ''
    out = `${c.attr} ${c.op}${operand}${c.caseInsensitive ? ' (case-insensitive)' : ''}`
  }
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT - 1)}…` : out
}

/** The leaves that made a condition fail: for `all` the failing parts, for `any` every part, through segments. */
export const failedLeaves = (d: ConditionDescription, out: ConditionDescription[] = []): ConditionDescription[] => {
  if (d.passed) return out
  const c = d.condition
  if (('all' in c || 'any' in c || 'segment' in c) && d.parts?.length) for (const part of d.parts) failedLeaves(part, out)
  else out.push(d)
  return out
}

const leafText = (d: ConditionDescription): string => {
  const c = d.condition
  if ('attr' in c) return `${conditionText(c)}: the context has ${d.actual === undefined ? `no ${c.attr}` : json(d.actual)}`
  return conditionText(c)
}

const isRamp = (p: number | Ramp): p is Ramp => typeof p === 'object'

const byText = (serve: Serve): string => {
  if (typeof serve === 'string') return ''
  const by = serve.by ?? 'userId'
  return Array.isArray(by) ? by.join(' / ') : by
}

/** What a rule serves, in words. */
export const serveText = (serve: Serve): string => {
  if (typeof serve === 'string') return `serve ${json(serve)}`
  if ('split' in serve) return `split ${Object.entries(serve.split).map(([v, w]) => `${v} ${w}`).join(' / ')} by ${byText(serve)}`
  const p = serve.rollout
  const pct = isRamp(p) ? `ramp ${p.from}% → ${p.to}% (${p.start} → ${p.end})` : `${p}%`
  const what = serve.then ? `split ${Object.entries(serve.then.split).map(([v, w]) => `${v} ${w}`).join(' / ')}` : json(serve.variant ?? 'on')
  return `rollout ${pct} of ${byText(serve)} → ${what}`
}

const pct = (buckets: number): string => `${(buckets / 100).toFixed(2).replace(/\.?0+$/, '')}%`

export const instant = (ms: number, now: number): string => {
  const d = Math.abs(ms - now)
  const unit = d < 60_000 ? `${Math.round(d / 1000)} s` : d < 3_600_000 ? `${Math.round(d / 60_000)} min` : d < 172_800_000 ? `${Math.round(d / 3_600_000)} h` : `${Math.round(d / 86_400_000)} days`
  return `${new Date(ms).toISOString()} (${ms >= now ? `in ${unit}` : `${unit} ago`})`
}

/** A ramp's state at `at`, and the next boundary it moves at. */
const rampText = (ramp: Ramp, at: number, threshold: number | undefined): string => {
  const start = Date.parse(ramp.start)
  const end = Date.parse(ramp.end)
  if (at < start) return `Ramp not started: ${ramp.from}% until ${instant(start, at)}`
  if (at < end) return `Ramping: ${threshold === undefined ? '' : `${pct(threshold)} now, `}${ramp.to}% at ${instant(end, at)}`
  return `Ramp done: ${ramp.to}% since ${instant(end, at)}`
}

const outcomeText = (r: RuleDescription): Child[] => {
  const serve = r.serve
  switch (r.outcome) {
    case 'served':
      if (r.ranges) {
        const range = r.ranges.find((x) => x.variant === r.variant)
        return [`served ${json(r.variant)}: unit `, code(json(r.unit)), `, variant bucket ${r.bucket}`, range ? ` in [${range.from}, ${range.to})` : '']
      }
      if (r.threshold !== undefined) {
        return [`served ${json(r.variant)}: unit `, code(json(r.unit)), `, bucket ${r.bucket} < ${r.threshold} (${pct(r.threshold)})`]
      }
      return [`served ${json(r.variant)}`]
    case 'no-match': {
      const leaves = r.if ? failedLeaves(r.if) : []
      return ['condition failed: ', ...leaves.flatMap((leaf, i) => [i ? '; ' : '', code(leafText(leaf))])]
    }
    case 'no-unit':
      return [`no unit id in the context (by ${byText(serve)}): falls through`]
    case 'outside':
      return ['unit ', code(json(r.unit)), `, bucket ${r.bucket} ≥ ${r.threshold} (${pct(r.threshold ?? 0)}): outside the rollout, falls through`]
    default:
      return ['not reached']
  }
}

const OUTCOME_LABEL: Record<RuleDescription['outcome'], string> = {
  served: 'served', 'no-match': 'no match', 'no-unit': 'no unit', outside: 'outside', 'not-reached': 'not reached',
}

const decidedText = (d: FlagDescription): string => {
  const v = json(d.variant)
  switch (d.decidedBy) {
    case 'not-found': return 'Not in the config.'
    case 'snapshot': return 'From an evaluated snapshot: no rules to show.'
    case 'override': return `Forced by an override: ${v} (rules not evaluated).`
    case 'kill-switch': return `Kill switch: the flag is disabled and serves ${json(d.offVariant)} to everyone.`
    case 'schedule': return `Outside its schedule: serves ${json(d.offVariant)}.`
    case 'prerequisite': return `A prerequisite is not met: serves ${json(d.offVariant)}.`
    case 'rule': return `Rule ${d.ruleIndex + 1} served ${v}.`
    default: return `No rule served: ${d.variant === undefined ? 'no variant (the default value)' : `offVariant ${v}`}.`
  }
}

const scheduleText = (d: FlagDescription): string | undefined => {
  const s = d.schedule
  if (!s) return undefined
  const from = s.from === undefined ? undefined : Date.parse(s.from)
  const until = s.until === undefined ? undefined : Date.parse(s.until)
  if (s.state === 'before') return `Schedule: off until ${instant(from!, d.at)}${until === undefined ? '' : `, then on until ${instant(until, d.at)}`}`
  if (s.state === 'after') return `Schedule: ended ${instant(until!, d.at)}`
  return `Schedule: active${until === undefined ? '' : ` until ${instant(until, d.at)}`}`
}

/** The next instant at which this flag's answer may move on its own (schedule or ramp), or undefined. */
export const nextBoundary = (d: FlagDescription): number | undefined => {
  const times: number[] = []
  if (d.schedule?.from) times.push(Date.parse(d.schedule.from))
  if (d.schedule?.until) times.push(Date.parse(d.schedule.until))
  for (const r of d.rules) {
    if (typeof r.serve === 'object' && 'rollout' in r.serve && isRamp(r.serve.rollout)) times.push(Date.parse(r.serve.rollout.start), Date.parse(r.serve.rollout.end))
  }
  let next: number | undefined
  for (const t of times) if (t > d.at && (next === undefined || t < next)) next = t
  return next
}

/** The explanation of a flag for the context: decision, schedule, prerequisites, each rule in order. */
export const explanation = (d: FlagDescription, def: FlagConfig | undefined): Child[] => {
  const out: Child[] = [h('p', { class: 'decided' }, decidedText(d))]
  if (d.errorCode) out.push(h('p', { class: 'muted' }, `Error: ${d.errorCode}`))
  const schedule = scheduleText(d)
  if (schedule) out.push(h('p', { class: 'schedule' }, schedule))
  if (d.requires.length) {
    out.push(h('p', {}, 'Prerequisites:'), h('ul', { class: 'requires' }, ...d.requires.map((r) =>
      h('li', { 'data-met': String(r.met) }, code(r.flag), ` must serve ${json(r.variant)}: serves ${r.served === undefined ? 'nothing (not found)' : json(r.served)} `,
        h('span', { class: 'outcome', 'data-outcome': r.met ? 'served' : 'no-match' }, r.met ? 'met' : 'not met')))))
  }
  if (d.rules.length) {
    out.push(h('ol', { class: 'rules' }, ...d.rules.map((r) => {
      const ramp = typeof r.serve === 'object' && 'rollout' in r.serve && isRamp(r.serve.rollout) ? r.serve.rollout : undefined
      return h('li', { class: 'rule', 'data-outcome': r.outcome },
        h('span', { class: 'outcome', 'data-outcome': r.outcome }, `Rule ${r.index + 1}: ${OUTCOME_LABEL[r.outcome]}`), ' — ',
        h('span', { class: 'muted' }, `${r.if ? `if ${conditionText(r.if.condition)}, ` : ''}${serveText(r.serve)}`),
        r.outcome === 'not-reached' ? null : h('p', { class: 'detail' }, ...outcomeText(r)),
        ramp ? h('p', { class: 'ramp' }, rampText(ramp, d.at, r.threshold)) : null)
    })))
  } else if (def && d.decidedBy !== 'not-found') out.push(h('p', { class: 'muted' }, 'No rules.'))
  const next = nextBoundary(d)
  if (next !== undefined) out.push(h('p', { class: 'next' }, `Next boundary: ${instant(next, d.at)}`))
  if (def?.description) out.push(h('p', { class: 'muted' }, def.description))
  return out
}
