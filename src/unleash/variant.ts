import type { Evaluator, JsonValue } from 'flagstage'
import { DISABLED, ENABLED_NO_VARIANT } from './translate.ts'
import type { UnleashPayload } from './types.ts'

/** A variant as Unleash's `getVariant` returns it. */
export interface UnleashVariantResult {
  name: string
  enabled: boolean
  feature_enabled: boolean
  payload?: UnleashPayload
}

/**
 * What Unleash's `getVariant(key)` would answer, from a flagstage evaluator (a client, or
 * `client.forContext(toContext(ctx))`) over a config made by `fromUnleash`.
 * @example
 * unleashVariant(flags.forContext(toContext({ userId: 'u-1' })), 'checkout') // { name: 'blue', enabled: true, ... }
 */
export const unleashVariant = (flags: Pick<Evaluator, 'explain'>, key: string): UnleashVariantResult => {
  const x = flags.explain(key) as { variant: string | undefined; value: JsonValue | undefined; reason: string }
  const name = x.variant
  const disabled = (featureEnabled: boolean): UnleashVariantResult => ({ name: DISABLED, enabled: false, feature_enabled: featureEnabled })
  if (name === undefined || name === DISABLED || (name === 'off' && x.value === false)) return disabled(false)
  if (name === ENABLED_NO_VARIANT || (name === 'on' && x.value === true)) return disabled(true)
  const result: UnleashVariantResult = { name: name.replace(/@-?\d+$/, ''), enabled: true, feature_enabled: true }
  const value = x.value as { type?: unknown; value?: unknown } | null | undefined
  if (value && typeof value === 'object') result.payload = { type: String(value.type), value: String(value.value) }
  return result
}
