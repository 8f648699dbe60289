import { compileCondition, asTime, type Predicate } from './conditions.ts'
import { compileSplit, compileThreshold, rolloutPrefix, unitReader, variantPrefix, type Split, type Threshold, type UnitReader } from './rollout.ts'
import type { HashState } from './hash.ts'
import type { Config, FlagConfig, JsonValue, Rule } from './types.ts'

/** What a compiled rule serves. */
export const SERVE_VARIANT = 0
export const SERVE_ROLLOUT = 1
export const SERVE_SPLIT = 2

export interface CompiledRule {
  test: Predicate | undefined
  kind: typeof SERVE_VARIANT | typeof SERVE_ROLLOUT | typeof SERVE_SPLIT
  /** Variant served by a fixed or rollout rule. */
  variant: string
  unit: UnitReader
  /** Hash state after `salt:` (rollout) or `salt:variant:` (split). */
  prefix: HashState
  threshold: Threshold | undefined
  split: Split | undefined
}

export interface CompiledFlag {
  key: string
  enabled: boolean
  off: string
  values: Map<string, JsonValue>
  /** Every variant value is a boolean: `isEnabled` answers the value; otherwise "not the off variant". */
  boolean: boolean
  rules: CompiledRule[]
  from: number
  until: number
  requires: { flag: CompiledFlag | undefined; variant: string }[]
}

export interface CompiledConfig {
  revision: string | undefined
  flags: Map<string, CompiledFlag>
  /** Sorted instants (ms) at which some evaluation may change without a config edit. */
  boundaries: number[]
  /** Ramps in force: [start, end] pairs, during which evaluations drift with the clock. */
  ramps: number[]
  config: Config
}

const DEFAULT_VARIANTS: Record<string, JsonValue> = { on: true, off: false }

const compileRule = (rule: Rule, salt: string, segment: (name: string) => Predicate, bounds: number[]): CompiledRule => {
  const test = rule.if ? compileCondition(rule.if, segment) : undefined
  const serve = rule.serve
  if (typeof serve === 'string') {
    return { test, kind: SERVE_VARIANT, variant: serve, unit: unitReader(undefined), prefix: rolloutPrefix(salt), threshold: undefined, split: undefined }
  }
  const ruleSalt = serve.salt ?? salt
  if ('split' in serve) {
    return {
      test, kind: SERVE_SPLIT, variant: '', unit: unitReader(serve.by), prefix: variantPrefix(ruleSalt),
      threshold: undefined, split: compileSplit(serve.split),
    }
  }
  const threshold = compileThreshold(serve.rollout)
  bounds.push(...threshold.bounds)
  return {
    test, kind: SERVE_ROLLOUT, variant: serve.variant ?? 'on', unit: unitReader(serve.by), prefix: rolloutPrefix(ruleSalt),
    threshold, split: undefined,
  }
}

/**
 * Compile a validated config once, when it loads: `in` lists become Sets, regexes are built once,
 * segments are compiled once and shared, `salt:` hash prefixes and ramps are precomputed, so
 * evaluation allocates nothing on plain and rollout flags.
 */
export const compileConfig = (config: Config): CompiledConfig => {
  const segments = config.segments ?? {}
  const compiledSegments = new Map<string, Predicate>()
  const segment = (name: string): Predicate => {
    let predicate = compiledSegments.get(name)
    if (!predicate) {
      const condition = Object.prototype.hasOwnProperty.call(segments, name) ? segments[name] : undefined
      predicate = condition ? compileCondition(condition, segment) : () => false
      compiledSegments.set(name, predicate)
    }
    return predicate
  }

  const flags = new Map<string, CompiledFlag>()
  const boundaries: number[] = []
  const ramps: number[] = []
  const pending: [CompiledFlag, FlagConfig][] = []
  for (const key of Object.keys(config.flags)) {
    const def = config.flags[key]!
    const variants = def.variants ?? DEFAULT_VARIANTS
    const values = new Map<string, JsonValue>()
    let boolean = true
    for (const name of Object.keys(variants)) {
      const value = variants[name]!
      values.set(name, value)
      if (typeof value !== 'boolean') boolean = false
    }
    const rampBounds: number[] = []
    const rules = (def.rules ?? []).map((rule) => compileRule(rule, def.salt ?? key, segment, rampBounds))
    const from = def.schedule?.from !== undefined ? asTime(def.schedule.from) ?? -Infinity : -Infinity
    const until = def.schedule?.until !== undefined ? asTime(def.schedule.until) ?? Infinity : Infinity
    if (from !== -Infinity) boundaries.push(from)
    if (until !== Infinity) boundaries.push(until)
    boundaries.push(...rampBounds)
    ramps.push(...rampBounds)
    const flag: CompiledFlag = { key, enabled: def.enabled, off: def.offVariant ?? 'off', values, boolean, rules, from, until, requires: [] }
    flags.set(key, flag)
    if (def.requires?.length) pending.push([flag, def])
  }
  // Prerequisites point at compiled flags directly: no lookup while evaluating.
  for (const [flag, def] of pending) {
    flag.requires = def.requires!.map((r) => ({ flag: flags.get(r.flag), variant: r.variant ?? 'on' }))
  }
  boundaries.sort((a, b) => a - b)
  return { revision: config.revision, flags, boundaries, ramps, config }
}
