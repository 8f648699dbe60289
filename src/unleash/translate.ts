import { ErrorCode, FlagstageError, inCidrOperator, matchesOperator, registerOperators } from 'flagstage'
import type { Condition, Config, FlagConfig, JsonValue, Prerequisite, Rule } from 'flagstage'
import { constraintCondition } from './constraints.ts'
import { NEVER, planStrategy, through, variantSplit } from './strategy.ts'
import type { UnleashDelta, UnleashFeature, UnleashFeatures, UnleashSegment, UnleashVariant } from './types.ts'

/** The variant a feature with variants serves when it is off (Unleash's `disabled`). */
export const DISABLED = 'disabled'
/**
 * The variant a feature with variants serves when it is on but no variant applies (a strategy
 * without variants, and no feature variants): Unleash answers `disabled` with `feature_enabled: true`.
 */
export const ENABLED_NO_VARIANT = '(enabled)'

const all = (parts: Condition[]): Condition | undefined => (parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { all: parts })

/** Native variant names: a strategy variant whose payload differs from a same-named one gets `name@strategyIndex`. */
const variantNames = () => {
  const values: Record<string, JsonValue> = {}
  const payloadOf = (v: UnleashVariant): JsonValue => (v.payload ? { type: String(v.payload.type), value: String(v.payload.value) } : null)
  const add = (v: UnleashVariant, scope: number): string => {
    const value = payloadOf(v)
    let name = String(v.name)
    if (name === DISABLED || name === ENABLED_NO_VARIANT || (Object.hasOwn(values, name) && JSON.stringify(values[name]) !== JSON.stringify(value))) name = `${name}@${scope}`
    values[name] = value
    return name
  }
  return { values, add }
}

const segmentName = (id: number): string => `segment:${id}`

/** One Unleash feature as a flagstage flag. `known` holds every feature name, for dependencies. */
const translateFeature = (
  feature: UnleashFeature, segments: Map<number, UnleashSegment>, features: Map<string, UnleashFeature>,
): FlagConfig => {
  const name = feature.name
  const strategies = Array.isArray(feature.strategies) ? feature.strategies : []
  const featureVariants = Array.isArray(feature.variants) ? feature.variants : []
  const withVariants = featureVariants.length > 0 || strategies.some((s) => (s.variants?.length ?? 0) > 0)
  const names = variantNames()
  const served = new Map<UnleashVariant, string>()
  const nameOf = (scope: number) => (v: UnleashVariant): string => {
    let n = served.get(v)
    if (n === undefined) served.set(v, (n = names.add(v, scope)))
    return n
  }
  const featureSplit = variantSplit(featureVariants, name, featureVariants[0]?.stickiness, nameOf(-1))
  const onName = withVariants ? ENABLED_NO_VARIANT : 'on'
  const rules: Rule[] = []
  /** Overrides first (any strategy variant or feature variant whose override list holds the field's value), then the split. */
  const serveVariants = (test: Condition[], plan: NonNullable<ReturnType<typeof planStrategy>>, variants: UnleashVariant[], split: ReturnType<typeof variantSplit>, scope: number): void => {
    if (split) {
      for (const v of variants) {
        const overrides = (v.overrides ?? []).filter((o) => o && typeof o.contextName === 'string')
        if (!overrides.length) continue
        const hit: Condition[] = overrides.map((o) => ({ attr: o.contextName, op: 'in', values: (o.values ?? []).map(String) }))
        rules.push({ if: all([...test, hit.length === 1 ? hit[0]! : { any: hit }])!, serve: through(plan, nameOf(scope)(v)) })
      }
    }
    const rule: Rule = { serve: through(plan, split ?? onName) }
    const condition = all(test)
    rules.push(condition ? { if: condition, ...rule } : rule)
  }
  if (strategies.length === 0) {
    serveVariants([], { condition: undefined, rollout: undefined }, featureVariants, featureSplit, -1)
  }
  strategies.forEach((s, index) => {
    if (!s || s.disabled === true) return
    const plan = planStrategy(s, name)
    if (!plan) return
    const test: Condition[] = (s.constraints ?? []).map(constraintCondition)
    for (const id of s.segments ?? []) {
      const segment = segments.get(id)
      if (!segment) return // a missing segment: the strategy is never enabled
      if (segment.constraints?.length) test.push({ segment: segmentName(id) })
    }
    if (test.includes(NEVER)) return
    if (plan.condition) test.push(plan.condition)
    const own = Array.isArray(s.variants) ? s.variants : []
    // Strategy variants hash by the strategy's groupId as given (`undefined` when absent, as Unleash's SDKs do).
    const ownSplit = own.length ? variantSplit(own, String(s.parameters?.groupId), own[0]?.stickiness ?? s.parameters?.stickiness as string | undefined, nameOf(index)) : undefined
    if (ownSplit) serveVariants(test, plan, own, ownSplit, index)
    else serveVariants(test, plan, featureVariants, featureSplit, -1)
  })
  const flag: FlagConfig = { enabled: feature.enabled === true, rules }
  if (withVariants) {
    flag.variants = { [DISABLED]: null, [ENABLED_NO_VARIANT]: null, ...names.values }
    flag.offVariant = DISABLED
  }
  if (typeof feature.description === 'string') flag.description = feature.description
  const requires: Prerequisite[] = []
  for (const d of feature.dependencies ?? []) {
    const parent = features.get(d.feature)
    // An unknown parent, or one with dependencies of its own (Unleash allows one level): never enabled.
    if (!parent || parent.dependencies?.length) return { enabled: false }
    if (d.enabled === false) requires.push({ flag: d.feature, enabled: false })
    else if (d.variants?.length) requires.push({ flag: d.feature, variant: parentVariants(parent, d.variants) })
    else requires.push({ flag: d.feature, enabled: true })
  }
  if (requires.length) flag.requires = requires
  return flag
}

/** The native names of the parent's variants a dependency lists (`disabled` there means on without a variant). */
const parentVariants = (parent: UnleashFeature, wanted: string[]): string[] => {
  const withVariants = (parent.variants?.length ?? 0) > 0 || (parent.strategies ?? []).some((s) => (s?.variants?.length ?? 0) > 0)
  if (!withVariants) return wanted.includes(DISABLED) ? ['on'] : []
  const names = new Set([ENABLED_NO_VARIANT, ...(parent.variants ?? []).map((v) => v.name), ...(parent.strategies ?? []).flatMap((s) => (s?.variants ?? []).map((v) => v.name))])
  return wanted.map((w) => (w === DISABLED ? ENABLED_NO_VARIANT : w)).filter((w) => w !== DISABLED && names.has(w))
}

/** Unleash state: features and segments, as the features endpoint or a delta hydration carries them. */
export interface UnleashState {
  features: UnleashFeature[]
  segments?: UnleashSegment[]
}

/**
 * Translate Unleash's client features JSON (`GET /api/client/features`, Unleash Edge, or a delta
 * hydration `{ events: [...] }`) into a flagstage config that evaluates as Unleash's SDKs do: the
 * standard strategies with their constraints and segments, feature and strategy variants with
 * payloads and overrides, and dependent features. A feature without variants becomes a boolean flag
 * (`on`/`off`); a feature with variants serves the variant's name with its payload (`{ type, value }`,
 * or `null`) as the value, `disabled` when off. Unknown strategies never enable a feature (as in
 * Unleash); unknown operators and patterns the regex matcher refuses never match.
 * Registers the opt-in operators `matches` and `inCidr` (REGEX and IN_CIDR constraints become them).
 * @throws {FlagstageError} INVALID_CONFIG when the input is not Unleash features JSON.
 * @example
 * const config = fromUnleash(await (await fetch(`${url}/api/client/features`, { headers })).json())
 */
export const fromUnleash = (json: UnleashFeatures | UnleashDelta | UnleashState): Config => {
  // Unleash's REGEX and IN_CIDR constraints translate to flagstage's opt-in operators.
  registerOperators(matchesOperator, inCidrOperator)
  const state = stateOf(json)
  const segments = new Map((state.segments ?? []).map((s) => [s.id, s]))
  const features = new Map(state.features.map((f) => [f.name, f]))
  const config: Config = { schemaVersion: 1, flags: {} }
  const revision = (json as UnleashFeatures).meta?.revisionId
  if (revision !== undefined) config.revision = String(revision)
  const used = [...segments.values()].filter((s) => s.constraints?.length)
  if (used.length) {
    config.segments = {}
    for (const s of used) config.segments[segmentName(s.id)] = all(s.constraints.map(constraintCondition))!
  }
  for (const feature of state.features) {
    // defineProperty: a feature named "__proto__" stays a plain key.
    Object.defineProperty(config.flags, feature.name, {
      value: translateFeature(feature, segments, features), enumerable: true, writable: true, configurable: true,
    })
  }
  return config
}

const stateOf = (json: unknown): UnleashState => {
  const o = json as Partial<UnleashFeatures & UnleashDelta>
  if (o && Array.isArray(o.features)) return { features: o.features.filter(isFeature), segments: o.segments ?? [] }
  if (o && Array.isArray(o.events)) return applyEvents({ features: [], segments: [] }, o.events)
  throw new FlagstageError(ErrorCode.INVALID_CONFIG, 'Expected Unleash features JSON ({ features: [...] }) or delta events ({ events: [...] })', { path: '' })
}

const isFeature = (f: unknown): f is UnleashFeature => !!f && typeof (f as UnleashFeature).name === 'string'

/**
 * Apply Unleash delta events (hydration, feature-updated, feature-removed, segment-updated,
 * segment-removed) to a state, in order; returns the new state (the input is not changed).
 */
export const applyEvents = (state: UnleashState, events: UnleashDelta['events']): UnleashState => {
  const features = new Map(state.features.map((f) => [f.name, f]))
  const segments = new Map((state.segments ?? []).map((s) => [s.id, s]))
  for (const e of events) {
    if (e.type === 'hydration') {
      features.clear()
      segments.clear()
      for (const f of e.features ?? []) if (isFeature(f)) features.set(f.name, f)
      for (const s of e.segments ?? []) segments.set(s.id, s)
    } else if (e.type === 'feature-updated' && isFeature(e.feature)) features.set(e.feature.name, e.feature)
    else if (e.type === 'feature-removed') features.delete(e.featureName)
    else if (e.type === 'segment-updated' && e.segment) segments.set(e.segment.id, e.segment)
    else if (e.type === 'segment-removed') segments.delete(e.segmentId)
  }
  return { features: [...features.values()], segments: [...segments.values()] }
}
