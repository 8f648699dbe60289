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
  /** Reads the clock (schedule or ramp): only such flags call `now()`. */
  timed: boolean
  enabled: boolean
  off: string
  values: Map<string, JsonValue>
  /** Every variant value is a boolean: `isEnabled` answers the value; otherwise "not the off variant". */
  boolean: boolean
  rules: CompiledRule[]
  from: number
  until: number
  requires: { key: string; variant: string }[]
  /** The config's flag lookup, for prerequisites. */
  lookup: (key: string) => CompiledFlag | undefined
}

export interface CompiledConfig {
  revision: string | undefined
  /** Flag keys in config order. */
  keys: string[]
  /** The compiled flag (compiled on first use, then cached), or undefined. */
  get: (key: string) => CompiledFlag | undefined
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

const own = Object.prototype.hasOwnProperty

const compileFlag = (
  key: string,
  def: FlagConfig,
  segment: (name: string) => Predicate,
  lookup: (key: string) => CompiledFlag | undefined,
): CompiledFlag => {
  const variants = def.variants ?? DEFAULT_VARIANTS
  const values = new Map<string, JsonValue>()
  let boolean = true
  for (const name of Object.keys(variants)) {
    const value = variants[name]!
    values.set(name, value)
    if (typeof value !== 'boolean') boolean = false
  }
  const ramps: number[] = []
  const rules = (def.rules ?? []).map((rule) => compileRule(rule, def.salt ?? key, segment, ramps))
  const from = asTime(def.schedule?.from) ?? -Infinity
  const until = asTime(def.schedule?.until) ?? Infinity
  return {
    key, timed: ramps.length > 0 || from > -Infinity || until < Infinity, enabled: def.enabled,
    off: def.offVariant ?? 'off', values, boolean, rules, from, until,
    requires: (def.requires ?? []).map((r) => ({ key: r.flag, variant: r.variant ?? 'on' })), lookup,
  }
}

/**
 * Prepare a validated config when it loads. Each flag is compiled on its first evaluation and cached:
 * `in` lists become Sets, regexes are built once, segments are compiled once and shared, `salt:` hash
 * prefixes and ramps are precomputed, so evaluation allocates nothing on plain and rollout flags.
 * Loading stays proportional to what is used: a 10,000-flag config costs a scan, not 10,000 compilations.
 */
export const compileConfig = (config: Config): CompiledConfig => {
  const segments = config.segments ?? {}
  const compiledSegments = new Map<string, Predicate>()
  const segment = (name: string): Predicate => {
    let predicate = compiledSegments.get(name)
    if (!predicate) {
      const condition = own.call(segments, name) ? segments[name] : undefined
      predicate = condition ? compileCondition(condition, segment) : () => false
      compiledSegments.set(name, predicate)
    }
    return predicate
  }
  const defs = config.flags
  const compiled = new Map<string, CompiledFlag>()
  const get = (key: string): CompiledFlag | undefined => {
    let flag = compiled.get(key)
    if (flag === undefined && typeof key === 'string' && own.call(defs, key)) {
      compiled.set(key, (flag = compileFlag(key, defs[key]!, segment, get)))
    }
    return flag
  }
  // Instants at which an evaluation may change on its own: schedules and ramp ends.
  const boundaries: number[] = []
  const ramps: number[] = []
  const keys = Object.keys(defs)
  for (const key of keys) {
    const def = defs[key]!
    const { from, until } = def.schedule ?? {}
    if (from !== undefined) boundaries.push(asTime(from) ?? 0)
    if (until !== undefined) boundaries.push(asTime(until) ?? 0)
    for (const rule of def.rules ?? []) {
      const r = typeof rule.serve === 'object' && 'rollout' in rule.serve ? rule.serve.rollout : 0
      if (typeof r === 'object') {
        const start = asTime(r.start) ?? 0
        const end = asTime(r.end) ?? 0
        boundaries.push(start, end)
        ramps.push(start, end)
      }
    }
  }
  boundaries.sort((a, b) => a - b)
  return { revision: config.revision, keys, get, boundaries, ramps, config }
}
