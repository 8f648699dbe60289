import { compileConfig, SERVE_ROLLOUT, SERVE_SPLIT, type CompiledConfig, type CompiledFlag, type CompiledRule } from './compile.ts'
import { compileCondition, reader } from './conditions.ts'
import { evaluate, type EvaluationHost } from './evaluator.ts'
import { resolve, type Trace } from './evaluate.ts'
import { hashFrom } from './hash.ts'
import { bucket, pickSplit } from './rollout.ts'
import type { Client, FlagTypes } from './client-types.ts'
import { hostOf } from './client-host.ts'
import type { Condition, Config, Context, Explanation, JsonValue, Serve } from './types.ts'
import { validateConfig } from './validate.ts'

// Why a flag serves what it serves, for people (`flagstage explain`, devtools). The final answer is the
// real evaluation's; every condition is decided by the compiled predicate the evaluator uses (compiled with
// the config's own segment resolver), every rule by the compiled rule, every bucket by the same hash and pins.
// This file only walks the config's structure and records those decisions: it interprets nothing itself.

/** One condition and its outcome for the context; `all`/`any`/`not`/segments carry their parts. */
export interface ConditionDescription {
  condition: Condition
  passed: boolean
  /** For `{ attr, op }`: the attribute's value in the context (undefined when missing). */
  actual?: unknown
  /** `all`/`any` parts, the `not` operand, or a segment's condition. */
  parts?: ConditionDescription[]
}

/** One rule, in order, and what it did for the context. */
export interface RuleDescription {
  index: number
  serve: Serve
  /** The rule's `if`, decided; undefined for a rule without `if` (matches everyone). */
  if?: ConditionDescription
  /**
   * `served` (this rule decided), `no-match` (its condition failed), `no-unit` (a rollout or split but the
   * context has no unit id), `outside` (the unit's bucket is at or above the rollout's threshold),
   * `not-reached` (an earlier rule served, or the flag was decided before its rules).
   */
  outcome: 'served' | 'no-match' | 'no-unit' | 'outside' | 'not-reached'
  /** Variant this rule serves (a split: the one picked for this unit). */
  variant?: string
  /** Rollouts and splits: the unit id read from the context. */
  unit?: string
  /** Rollouts: the rollout bucket (0..9999); splits: the variant bucket. Pinned buckets show here. */
  bucket?: number
  /** Rollouts: the threshold in buckets at `at` (the unit is in iff bucket < threshold). */
  threshold?: number
  /** Splits: each variant's bucket range [from, to) in order. */
  ranges?: { variant: string; from: number; to: number }[]
  /**
   * A rollout with `then` whose unit is inside the rollout: the split that divides it, with its own unit
   * (its `by`), bucket, ranges and the variant picked (outcome `no-unit` when the split's unit is missing).
   */
  then?: { unit?: string; bucket?: number; ranges?: { variant: string; from: number; to: number }[]; variant?: string }
}

/** One prerequisite and the variant its flag serves to the context. */
export interface PrerequisiteDescription {
  flag: string
  /** The variant required. */
  variant: string
  /** The variant the prerequisite flag serves (undefined when the flag does not exist). */
  served: string | undefined
  met: boolean
}

/** Everything about how one flag is evaluated for one context at one instant. */
export interface FlagDescription extends Explanation<JsonValue | undefined> {
  found: boolean
  /** The instant described (ms since epoch). */
  at: number
  /** What decided: an evaluated snapshot (no rules), a forced variant, the kill switch, the schedule, a prerequisite, a rule, or no rule. */
  decidedBy: 'not-found' | 'snapshot' | 'override' | 'kill-switch' | 'schedule' | 'prerequisite' | 'rule' | 'no-rule'
  /** A variant forced by the client's `overrides`. */
  override?: string
  enabled: boolean
  offVariant: string
  /** Undefined without a schedule; `before` / `after` mean the flag is off at `at`. */
  schedule?: { from?: string; until?: string; state: 'before' | 'active' | 'after' }
  requires: PrerequisiteDescription[]
  rules: RuleDescription[]
}

/** Deeper condition trees (through segments) are cut here; validation bounds them well below. */
const MAX_DEPTH = 64

const describeCondition = (condition: Condition, context: Context, compiled: CompiledConfig, depth: number): ConditionDescription => {
  const out: ConditionDescription = { condition, passed: compileCondition(condition, compiled.segment)(context) }
  if (depth > MAX_DEPTH) return out
  const part = (c: Condition): ConditionDescription => describeCondition(c, context, compiled, depth + 1)
  const segments = compiled.config.segments
  if ('all' in condition) out.parts = condition.all.map(part)
  else if ('any' in condition) out.parts = condition.any.map(part)
  else if ('not' in condition) out.parts = [part(condition.not)]
  else if ('segment' in condition) {
    if (segments && Object.hasOwn(segments, condition.segment)) out.parts = [part(segments[condition.segment]!)]
  } else out.actual = reader(condition.attr)(context)
  return out
}

/** A split's variants and bucket ranges [from, to), in order. */
const rangesOf = (rule: CompiledRule): { variant: string; from: number; to: number }[] => {
  const { names, bounds } = rule.split!
  return names.map((variant, i) => ({ variant, from: Math.ceil(i ? bounds[i - 1]! : 0), to: Math.ceil(bounds[i]!) }))
}

const walkRules = (compiled: CompiledConfig, flag: CompiledFlag, context: Context, t: number, pins: EvaluationHost['buckets'], open: boolean): RuleDescription[] => {
  const defs = compiled.config.flags[flag.key]!.rules ?? []
  let done = !open
  return flag.rules.map((rule, index) => {
    const def = defs[index]!
    const out: RuleDescription = { index, serve: def.serve, outcome: 'not-reached' }
    if (def.if) out.if = describeCondition(def.if, context, compiled, 0)
    if (rule.kind !== SERVE_SPLIT) out.variant = rule.served.name
    if (done) return out
    if (rule.test !== undefined && !rule.test(context)) {
      out.outcome = 'no-match'
      return out
    }
    if (rule.kind === SERVE_ROLLOUT || rule.kind === SERVE_SPLIT) {
      const unit = rule.unit(context)
      if (unit === undefined) {
        out.outcome = 'no-unit'
        return out
      }
      const pinned = pins?.get(flag.key)
      const b = pinned ?? (rule.map === undefined ? bucket(rule.prefix, unit) : rule.map(hashFrom(rule.prefix, unit)))
      out.unit = unit
      out.bucket = b
      if (rule.kind === SERVE_SPLIT) {
        out.ranges = rangesOf(rule)
        out.variant = rule.splitServed[pickSplit(rule.split!, b)]!.name
      } else {
        const threshold = rule.threshold!
        out.threshold = threshold.fixed >= 0 ? threshold.fixed : threshold.at(t)
        if (b >= out.threshold) {
          out.outcome = 'outside'
          return out
        }
        const then = rule.then
        if (then) {
          // As evaluate.ts: the split has its own unit and hash (pins move only the rollout's bucket).
          const u = then.unit(context)
          const split: NonNullable<RuleDescription['then']> = (out.then = { ranges: rangesOf(then) })
          if (u === undefined) {
            out.outcome = 'no-unit'
            return out
          }
          const v = then.map === undefined ? bucket(then.prefix, u) : then.map(hashFrom(then.prefix, u))
          split.unit = u
          split.bucket = v
          out.variant = split.variant = then.splitServed[pickSplit(then.split!, v)]!.name
        }
      }
    }
    out.outcome = 'served'
    done = true
    return out
  })
}

const scratch: Trace = { reason: 'DEFAULT', ruleIndex: -1, bucket: -1 }

/** Describe `key` with a client's (or a one-off) evaluation host: its store, clock, overrides and pins. */
export const describeWith = (host: EvaluationHost, key: string, context: Context): FlagDescription => {
  const at = host.now()
  const x = evaluate(host, key, context)
  const out: FlagDescription = {
    key, found: x.found, at, value: x.value, variant: x.variant, reason: x.reason, ruleIndex: x.ruleIndex, bucket: x.bucket,
    revision: host.store()?.revision, decidedBy: 'not-found', enabled: false, offVariant: 'off', requires: [], rules: [],
  }
  if (x.errorCode) out.errorCode = x.errorCode
  const store = host.store()
  const compiled = store?.kind === 'config' ? store.compiled : undefined
  const flag = compiled?.get(key)
  if (!compiled || !flag) {
    // An evaluated snapshot has no rules to describe: the answer is all there is.
    if (x.found) out.decidedBy = 'snapshot'
    return out
  }
  const def = compiled.config.flags[key]!
  out.enabled = flag.enabled
  out.offVariant = flag.off.name
  if (def.schedule) {
    out.schedule = { ...def.schedule, state: at < flag.from ? 'before' : at >= flag.until ? 'after' : 'active' }
  }
  out.requires = flag.requires.map((r) => {
    const pre = flag.lookup(r.key)
    const served = pre ? resolve(pre, context, host.now, scratch, host.buckets, 1) : undefined
    return { flag: r.key, variant: r.variant, served: served?.name, met: served !== undefined && r.met(served) }
  })
  const forced = host.overrides.get(key)
  const decidedBy: FlagDescription['decidedBy'] =
    forced !== undefined && flag.variants.some((v) => v.name === forced) ? 'override'
      : !flag.enabled ? 'kill-switch'
        : out.schedule && out.schedule.state !== 'active' ? 'schedule'
          : out.requires.some((r) => !r.met) ? 'prerequisite'
            : x.ruleIndex >= 0 ? 'rule' : 'no-rule'
  out.decidedBy = decidedBy
  if (decidedBy === 'override') out.override = forced!
  out.rules = walkRules(compiled, flag, context, at, host.buckets, decidedBy === 'rule' || decidedBy === 'no-rule')
  return out
}

/** Options of `describeFlag(config, ...)`. */
export interface DescribeOptions {
  /** The instant to describe (ms since epoch). @default Date.now() */
  now?: number
  /** Pinned buckets, as the client option `buckets`. */
  buckets?: Record<string, number>
  /** Forced variants, as the client option `overrides`. */
  overrides?: Record<string, string>
}

/**
 * Describe how `key` is evaluated: the value, variant and reason of the real evaluation, and why — the
 * kill switch, the schedule state, each prerequisite, and each rule in order (which condition failed and
 * the attribute's value, the unit's bucket against the rollout threshold or the split ranges).
 *
 * Pass a client (`describeFlag(client, key)`: its config, context, clock, overrides and pins) or a config
 * with a context and options (`now`, `buckets`, `overrides`). A separate import: apps that never describe
 * a flag don't ship it. For people and tools (`flagstage explain`, devtools).
 * @throws {FlagstageError} `INVALID_CONFIG` when given a config that is not valid.
 * @example
 * describeFlag(config, 'new-checkout', { userId: 'u-1', country: 'FR' }, { now: Date.parse('2026-12-02') })
 * // { value: false, reason: 'DEFAULT', rules: [{ outcome: 'no-match', if: { passed: false, actual: 'FR', ... } }, ...] }
 * describeFlag(client, 'new-checkout').decidedBy // 'rule'
 */
export const describeFlag = <F extends FlagTypes = FlagTypes>(
  target: Config | Client<F>,
  key: string,
  context?: Context,
  options: DescribeOptions = {},
): FlagDescription => {
  const client = typeof target === 'object' && target !== null ? hostOf(target) : undefined
  if (client) return describeWith(client.host, key, context ?? client.context())
  const compiled = compileConfig(validateConfig(target))
  const at = options.now ?? Date.now()
  const host: EvaluationHost = {
    store: () => ({ kind: 'config', compiled, revision: compiled.revision }),
    now: () => at,
    defaults: {},
    overrides: new Map(Object.entries(options.overrides ?? {})),
    buckets: options.buckets ? new Map(Object.entries(options.buckets)) : undefined,
  }
  return describeWith(host, key, context ?? {})
}
