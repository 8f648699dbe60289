import { compileCondition, asTime, perEvaluation, type Predicate } from './conditions.ts'
import { compileSplit, compileThreshold, rolloutPrefix, unitReader, variantPrefix, type Split, type Threshold, type UnitReader } from './rollout.ts'
import { BUCKETS, bucketMap, hashPrefix, type HashState } from './hash.ts'
import type { Bucketing, Config, FlagConfig, JsonValue, Prerequisite, Rule, SplitServe } from './types.ts'

/** What a compiled rule serves. */
export const SERVE_VARIANT = 0
export const SERVE_ROLLOUT = 1
export const SERVE_SPLIT = 2

/** A variant as served: name, value and what `isEnabled` answers, computed once per config. */
export interface Served {
  name: string
  value: JsonValue
  enabled: boolean
}

export interface CompiledRule {
  test: Predicate | undefined
  kind: typeof SERVE_VARIANT | typeof SERVE_ROLLOUT | typeof SERVE_SPLIT
  /** Variant served by a fixed or rollout rule. */
  served: Served
  /** Variants of a split, in the order of `split.bounds`. */
  splitServed: Served[]
  unit: UnitReader
  /** Hash state after `salt:` (rollout) or `salt:variant:` (split). */
  prefix: HashState
  threshold: Threshold | undefined
  split: Split | undefined
  /** Hash to bucket when the serve names its own `hash` bucketing; undefined for the default `% 10000`. */
  map: ((h: number) => number) | undefined
  /** A rollout's `then`: the split (a SERVE_SPLIT rule) its units are divided by. */
  then: CompiledRule | undefined
}

export interface CompiledFlag {
  key: string
  /** Reads the clock (schedule or ramp): only such flags call `now()`. */
  timed: boolean
  enabled: boolean
  off: Served
  /** Variants in config order (few: a linear scan beats a Map per flag at load). */
  variants: Served[]
  /** Set when the answer never depends on context or clock (kill switch, or a first rule serving everyone). */
  fixed: Served | undefined
  rules: CompiledRule[]
  from: number
  until: number
  /** Prerequisites: the flag, and whether what it serves meets the requirement. */
  requires: { key: string; met: (served: Served) => boolean; variant: string }[]
  /** The config's flag lookup, for prerequisites. */
  lookup: (key: string) => CompiledFlag | undefined
}

/** Instants at which evaluations may change on their own. */
export interface Timeline {
  /** Sorted instants (ms): schedule boundaries, ramp starts and ends. */
  boundaries: number[]
  /** Ramps: [start, end] pairs, during which evaluations drift with the clock. */
  ramps: number[]
}

export interface CompiledConfig {
  revision: string | undefined
  /** Flag keys in config order. */
  keys: string[]
  /** The compiled flag (compiled on first use, then cached), or undefined. */
  get: (key: string) => CompiledFlag | undefined
  /** When evaluations may change without a config edit; computed on first call (only clients with listeners need it). */
  timeline: () => Timeline
  config: Config
  /** The compiled segment named `name` (compiled once, shared by every flag; unknown names never match). */
  segment: (name: string) => Predicate
}

const DEFAULT_VARIANTS: Record<string, JsonValue> = { on: true, off: false }
const NONE: Served[] = []
const NO_RULES: CompiledRule[] = []
const NO_RULE_DEFS: Rule[] = []
const NO_REQUIRES: CompiledFlag['requires'] = []
/** Shared by every flag that keeps the default on/off variants: nothing to allocate per flag. */
const BOOLEAN_VARIANTS: Served[] = [
  { name: 'on', value: true, enabled: true },
  { name: 'off', value: false, enabled: false },
]

/** What a flag with `offVariant: null` serves: no variant, so readers return the caller's default. */
export const NO_VARIANT: Served = { name: '', value: null, enabled: false }

/** The variant named `name`, if the flag has it. */
export const findVariant = (variants: Served[], name: string | undefined): Served | undefined => {
  for (let i = 0; i < variants.length; i++) if (variants[i]!.name === name) return variants[i]
  return undefined
}
const NO_UNIT: UnitReader = () => undefined
const NO_PREFIX: HashState = { h: 0, k: 0, n: 0, len: 0 }

const compileRule = (
  rule: Rule,
  salt: string,
  segment: (name: string) => Predicate,
  bounds: number[],
  variant: (name: string) => Served,
): CompiledRule => {
  const test = rule.if ? compileCondition(rule.if, segment) : undefined
  const serve = rule.serve
  if (typeof serve === 'string') {
    // A fixed variant needs no unit and no hash.
    return {
      test, kind: SERVE_VARIANT, served: variant(serve), splitServed: NONE, unit: NO_UNIT, prefix: NO_PREFIX, threshold: undefined,
      split: undefined, map: undefined, then: undefined,
    }
  }
  const ruleSalt = serve.salt ?? salt
  const hash = serve.hash
  const buckets = hash?.buckets ?? BUCKETS
  if ('split' in serve) return compileSplitRule(test, serve, ruleSalt, variant)
  const threshold = compileThreshold(serve.rollout, buckets)
  bounds.push(...threshold.bounds)
  return {
    test, kind: SERVE_ROLLOUT, served: variant(serve.variant ?? 'on'), splitServed: NONE, unit: unitReader(serve.by),
    prefix: bucketPrefix(hash, `${ruleSalt}:`) ?? rolloutPrefix(ruleSalt), threshold, split: undefined, map: mapOf(hash),
    then: serve.then && compileSplitRule(undefined, serve.then, serve.then.salt ?? ruleSalt, variant),
  }
}

/** The hash state after a serve's own `hash.prefix` / `hash.seed`, or undefined for the default prefix. */
const bucketPrefix = (hash: Bucketing | undefined, prefix: string): HashState | undefined =>
  hash && (hash.prefix !== undefined || hash.seed) ? hashPrefix(hash.prefix ?? prefix, hash.seed) : undefined

const mapOf = (hash: Bucketing | undefined): ((h: number) => number) | undefined =>
  hash && (hash.map || hash.buckets) ? bucketMap(hash.map ?? 'mod', hash.buckets ?? BUCKETS) : undefined

const compileSplitRule = (
  test: Predicate | undefined, serve: SplitServe, salt: string, variant: (name: string) => Served,
): CompiledRule => {
  const hash = serve.hash
  const split = compileSplit(serve.split, hash?.buckets ?? BUCKETS)
  return {
    test, kind: SERVE_SPLIT, served: variant(split.names[0]!), splitServed: split.names.map(variant), unit: unitReader(serve.by),
    prefix: bucketPrefix(hash, `${salt}:variant:`) ?? variantPrefix(salt), threshold: undefined, split, map: mapOf(hash), then: undefined,
  }
}

const own = Object.prototype.hasOwnProperty

const compileRequirement = ({ flag, variant, enabled }: Prerequisite): CompiledFlag['requires'][number] => {
  // `variant` describes the requirement (describeFlag): a name, names joined by " | ", or (enabled) / (disabled).
  if (enabled !== undefined) return { key: flag, met: (served) => served.enabled === enabled, variant: enabled ? '(enabled)' : '(disabled)' }
  if (typeof variant === 'object') return { key: flag, met: (served) => variant.includes(served.name), variant: variant.join(' | ') }
  const name = variant ?? 'on'
  return { key: flag, met: (served) => served.name === name, variant: name }
}

const compileFlag = (
  key: string,
  def: FlagConfig,
  segment: (name: string) => Predicate,
  lookup: (key: string) => CompiledFlag | undefined,
): CompiledFlag => {
  const offName = def.offVariant === null ? undefined : def.offVariant ?? 'off'
  let variants = BOOLEAN_VARIANTS
  if (def.variants || offName !== 'off') {
    const defined = def.variants ?? DEFAULT_VARIANTS
    const names = Object.keys(defined)
    // A flag whose variants are all booleans is enabled when it serves `true`; any other flag when it
    // serves something other than its off variant.
    const boolean = names.every((name) => typeof defined[name] === 'boolean')
    variants = names.map((name) => {
      const value = defined[name]!
      return { name, value, enabled: boolean ? value === true : name !== offName }
    })
  }
  // Validation guarantees every name exists; stay total anyway.
  const variant = (name: string): Served => findVariant(variants, name) ?? { name, value: null, enabled: false }
  const off = offName === undefined ? NO_VARIANT : variant(offName)
  const ramps: number[] = []
  const rules = def.rules ? def.rules.map((rule) => compileRule(rule, def.salt ?? key, segment, ramps, variant)) : NO_RULES
  const from = asTime(def.schedule?.from) ?? -Infinity
  const until = asTime(def.schedule?.until) ?? Infinity
  const timed = ramps.length > 0 || from > -Infinity || until < Infinity
  const requires = def.requires ? def.requires.map(compileRequirement) : NO_REQUIRES
  const first = rules[0]
  const fixed = timed || requires.length ? undefined
    : off === NO_VARIANT && (!def.enabled || !rules.length) ? undefined // the caller's default: not fixed
      : !def.enabled ? off
      : first && !first.test && first.kind === SERVE_VARIANT ? first.served : undefined
  return { key, timed, enabled: def.enabled, off, variants, fixed, rules, from, until, requires, lookup }
}

/**
 * Prepare a validated config when it loads. Each flag is compiled on its first evaluation and cached:
 * `in` lists become Sets, regexes are built once, segments are compiled once and shared, `salt:` hash
 * prefixes and ramps are precomputed, so evaluation allocates nothing on plain and rollout flags.
 * Loading stays proportional to what is used: a 10,000-flag config costs a scan, not 10,000 compilations.
 */
export const compileConfig = (config: Config, keys: string[] = Object.keys(config.flags)): CompiledConfig => {
  const segments = config.segments ?? {}
  const compiledSegments = new Map<string, Predicate>()
  const segment = (name: string): Predicate => {
    let predicate = compiledSegments.get(name)
    if (!predicate) {
      const condition = own.call(segments, name) ? segments[name] : undefined
      predicate = condition ? perEvaluation(compileCondition(condition, segment)) : () => false
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
  let timeline: Timeline | undefined
  // Instants at which an evaluation may change on its own: schedules and ramp ends. Not on the load path.
  const scan = (): Timeline => {
    const boundaries: number[] = []
    const ramps: number[] = []
    for (const key of keys) {
      const def = defs[key]!
      const schedule = def.schedule
      if (schedule?.from !== undefined) boundaries.push(asTime(schedule.from) ?? 0)
      if (schedule?.until !== undefined) boundaries.push(asTime(schedule.until) ?? 0)
      for (const rule of def.rules ?? NO_RULE_DEFS) {
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
    return { boundaries, ramps }
  }
  return { revision: config.revision, keys, get, timeline: () => (timeline ??= scan()), config, segment }
}
