import type { Context } from './types.ts'

/**
 * An OpenFeature evaluation context (also the `context` of an OFREP request) as a flagstage context.
 * `targetingKey` becomes `userId`, the default rollout unit, unless the context has its own `userId`;
 * every other attribute passes through, `targetingKey` included (so a rule may say `by: 'targetingKey'`).
 * Top-level `Date` values become ISO 8601 strings, which `before` / `after` read. Used by
 * `flagstage/openfeature` and by `ofrepHandler`, so both place a targeting key in the same bucket.
 * @example
 * toFlagstageContext({ targetingKey: 'u-42', country: 'US' }) // { targetingKey: 'u-42', country: 'US', userId: 'u-42' }
 */
export const toFlagstageContext = (context: Readonly<Record<string, unknown>> | undefined): Context => {
  const out: Context = {}
  if (!context) return out
  for (const key of Object.keys(context)) {
    const value = context[key]
    const attr = value instanceof Date ? value.toISOString() : value
    // A key named "__proto__" (possible in parsed JSON) stays a plain attribute.
    if (key === '__proto__') Object.defineProperty(out, key, { value: attr, enumerable: true, writable: true, configurable: true })
    else out[key] = attr
  }
  const targetingKey = context.targetingKey
  if (out.userId === undefined && typeof targetingKey === 'string' && targetingKey !== '') out.userId = targetingKey
  return out
}
