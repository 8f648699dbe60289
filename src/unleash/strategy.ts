import type { By, Condition, RolloutServe, Serve, SplitServe } from 'flagstage'
import { NEVER } from './probe.ts'
import type { UnleashStrategy, UnleashVariant } from './types.ts'

// Unleash's standard strategies as what a flagstage rule tests and serves. Hashing as in Unleash's
// SDKs: a rollout takes `murmur3(groupId + ":" + id) % 100 + 1 <= percentage`, i.e. the buckets of 100
// below floor(percentage); variants take `murmur3(groupId + ":" + id, 86028157) % totalWeight`.

/** Unleash's seed for variant hashing. */
export const VARIANT_SEED = 86028157

/** What a strategy adds to its constraints, and the rollout it serves through (none for 100%). */
export interface StrategyPlan {
  condition: Condition | undefined
  rollout: Omit<RolloutServe, 'variant' | 'then'> | undefined
}

const param = (s: UnleashStrategy, name: string): string | undefined => {
  const v = s.parameters?.[name]
  return v === undefined || v === null ? undefined : String(v)
}
const list = (text: string | undefined): string[] => (text ? text.split(/\s*,\s*/) : [])

/** Stickiness for a rollout: `default` is userId, then sessionId, then a random id. */
const rolloutBy = (stickiness: string | undefined): By =>
  !stickiness || stickiness === 'default' ? ['userId', 'sessionId', '$random'] : stickiness === 'random' ? '$random' : stickiness

/** Stickiness for variants: `default` adds remoteAddress; a custom field falls back to a random id. */
export const variantBy = (stickiness: string | undefined): By =>
  !stickiness || stickiness === 'default' ? ['userId', 'sessionId', 'remoteAddress', '$random']
    : stickiness === 'random' ? '$random' : [stickiness, '$random']

const rollout = (percentage: unknown, by: By, groupId: string): StrategyPlan['rollout'] | 'never' | 'always' => {
  const p = Math.floor(Number(percentage))
  // NaN and 0 enable nobody; 100 and above everybody (only units with an id, for a rollout by one field).
  if (!(p > 0)) return 'never'
  return { rollout: Math.min(p, 100), by, hash: { prefix: `${groupId}:`, buckets: 100 } }
}

const IPV4_BLOCK = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/

/** The plan of one strategy, or undefined when it can never be enabled (unknown strategy, nobody in it). */
export const planStrategy = (s: UnleashStrategy, feature: string): StrategyPlan | undefined => {
  const plan = (condition: Condition | undefined, r: ReturnType<typeof rollout> = 'always'): StrategyPlan | undefined =>
    r === 'never' ? undefined : { condition, rollout: r === 'always' ? undefined : r }
  switch (s.name) {
    case 'default':
      return plan(undefined)
    case 'userWithId':
      return plan({ attr: 'userId', op: 'in', values: list(param(s, 'userIds')) })
    case 'remoteAddress': {
      const ips = list(param(s, 'IPs'))
      if (ips.length === 0) return undefined
      // An exact match, or an IPv4 address or block (Unleash's remoteAddress strategy reads IPv4 ranges).
      const blocks = ips.filter((ip) => IPV4_BLOCK.test(ip))
      return plan({ any: [{ attr: 'remoteAddress', op: 'in', values: ips }, ...(blocks.length ? [{ attr: 'remoteAddress', op: 'inCidr', values: blocks } as Condition] : [])] })
    }
    case 'applicationHostname':
      return plan({ attr: 'hostname', op: 'in', values: list(param(s, 'hostNames')).map((h) => h.toLowerCase()), caseInsensitive: true })
    case 'gradualRolloutUserId':
      return plan(undefined, rollout(param(s, 'percentage'), 'userId', param(s, 'groupId') ?? ''))
    case 'gradualRolloutSessionId':
      return plan(undefined, rollout(param(s, 'percentage'), 'sessionId', param(s, 'groupId') ?? ''))
    case 'gradualRolloutRandom':
      return plan(undefined, rollout(param(s, 'percentage'), '$random', ''))
    case 'flexibleRollout':
      return plan(undefined, rollout(param(s, 'rollout'), rolloutBy(param(s, 'stickiness')), param(s, 'groupId') || feature))
    default:
      return undefined
  }
}

/** Serve `what` (a variant name or a split) through the strategy's rollout, if it has one. */
export const through = (plan: StrategyPlan, what: string | SplitServe): Serve =>
  plan.rollout === undefined ? what : typeof what === 'string' ? { ...plan.rollout, variant: what } : { ...plan.rollout, then: what }

/** Variants with a positive weight as a split (Unleash's hash, seed and total weight), or undefined. */
export const variantSplit = (
  variants: UnleashVariant[], groupId: string, stickiness: string | undefined, name: (v: UnleashVariant) => string,
): SplitServe | undefined => {
  const split: Record<string, number> = {}
  let total = 0
  for (const v of variants) {
    const w = Number(v.weight)
    if (!(w > 0)) continue
    split[name(v)] = (split[name(v)] ?? 0) + w
    total += w
  }
  if (total <= 0) return undefined
  return { split, by: variantBy(stickiness), hash: { prefix: `${groupId}:`, seed: VARIANT_SEED, buckets: total } }
}

export { NEVER }
