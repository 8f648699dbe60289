import { SERVE_ROLLOUT, SERVE_SPLIT, SERVE_VARIANT, type CompiledFlag, type Served } from './compile.ts'
import { hashFrom } from './hash.ts'
import { bucket, pickSplit } from './rollout.ts'
import type { Context, Reason } from './types.ts'
import { evaluation } from './conditions.ts'

/** How the last `resolve` decided: written in place so evaluation allocates nothing. */
export interface Trace {
  reason: Reason
  ruleIndex: number
  bucket: number
}

/** Rollout buckets pinned per flag key (the `buckets` client option): compared instead of the unit's hash. */
export type Pins = Map<string, number> | undefined

/** Deepest prerequisite chain evaluated; validateConfig rejects deeper ones (MAX_CHAIN_DEPTH), with their path. */
const MAX_DEPTH = 64

const scratch: Trace = { reason: 'DEFAULT', ruleIndex: -1, bucket: -1 }
/** What each prerequisite served in the evaluation in progress: every flag is resolved at most once (issue #9). */
let memo: Map<CompiledFlag, Served> | undefined
/** Flags resolved so far (prerequisites included): read by tests that bound the work of an evaluation. */
export const resolveWork: { steps: number } = { steps: 0 }

const prerequisitesMet = (flag: CompiledFlag, context: Context, now: () => number, pins: Pins, depth: number): boolean => {
  const outer = memo
  // Only flags with prerequisites get here, so plain flags allocate nothing; a re-entrant read gets its own.
  if (depth === 0) memo = new Map()
  try {
    const requires = flag.requires
    for (let i = 0; i < requires.length; i++) {
      const r = requires[i]!
      const pre = flag.lookup(r.key)
      if (!pre || depth >= MAX_DEPTH) return false
      let served = memo!.get(pre)
      if (served === undefined) memo!.set(pre, (served = resolve(pre, context, now, scratch, pins, depth + 1)))
      if (!r.met(served)) return false
    }
    return true
  } finally {
    if (depth === 0) memo = outer
  }
}

/**
 * The variant a compiled flag serves to `context` at `now()`. Kill switch and schedule first, then
 * prerequisites, then rules in order (first match wins); whoever no rule serves gets the off variant.
 * Writes reason, rule index and bucket into `trace`. `pins` replace the hashed bucket of their flags.
 */
export const resolve = (flag: CompiledFlag, context: Context, now: () => number, trace: Trace, pins?: Pins, depth = 0): Served => {
  resolveWork.steps++
  if (depth === 0) evaluation.id++
  trace.bucket = -1
  const fixed = flag.fixed
  if (fixed !== undefined) {
    // Kill switch, or a first rule that serves everyone: no context, no clock.
    const on = flag.enabled
    trace.reason = on ? 'STATIC' : 'DISABLED'
    trace.ruleIndex = on ? 0 : -1
    return fixed
  }
  trace.ruleIndex = -1
  // The clock is read only by flags with a schedule or a ramp.
  const t = flag.timed ? now() : 0
  if (!flag.enabled || (flag.timed && (t < flag.from || t >= flag.until)) ||
      (flag.requires.length > 0 && !prerequisitesMet(flag, context, now, pins, depth))) {
    trace.reason = 'DISABLED'
    return flag.off
  }
  const rules = flag.rules
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!
    if (rule.test !== undefined && !rule.test(context)) continue
    if (rule.kind === SERVE_VARIANT) {
      trace.reason = rule.test === undefined ? 'STATIC' : 'TARGETING_MATCH'
      trace.ruleIndex = i
      return rule.served
    }
    const unit = rule.unit(context)
    if (unit === undefined) continue // no unit id: a rollout or split cannot place it; fall through
    const pinned = pins !== undefined ? pins.get(flag.key) : undefined
    const b = pinned !== undefined ? pinned : rule.map === undefined ? bucket(rule.prefix, unit) : rule.map(hashFrom(rule.prefix, unit))
    trace.bucket = b // kept when the unit falls through, so explain() shows how close it was
    if (rule.kind === SERVE_SPLIT) {
      trace.reason = 'SPLIT'
      trace.ruleIndex = i
      return rule.splitServed[pickSplit(rule.split!, b)]!
    }
    if (rule.kind === SERVE_ROLLOUT) {
      const threshold = rule.threshold!
      if (b < (threshold.fixed >= 0 ? threshold.fixed : threshold.at(t))) {
        const then = rule.then
        if (then !== undefined) {
          // A rollout that splits its units: the split has its own stickiness and hash.
          const u = then.unit(context)
          if (u === undefined) continue
          const v = then.map === undefined ? bucket(then.prefix, u) : then.map(hashFrom(then.prefix, u))
          trace.reason = 'SPLIT'
          trace.ruleIndex = i
          return then.splitServed[pickSplit(then.split!, v)]!
        }
        trace.reason = 'SPLIT'
        trace.ruleIndex = i
        return rule.served
      }
    }
  }
  trace.reason = 'DEFAULT'
  return flag.off
}
