import type { Context } from 'flagstage'
import type { UnleashContext } from './types.ts'

/**
 * An Unleash context as a flagstage context: `properties` are flattened next to the well-known
 * fields (a top-level field wins, as Unleash reads `context[field] ?? context.properties[field]`),
 * and `currentTime` (what DATE_AFTER / DATE_BEFORE compare) becomes an ISO string, set to now when
 * absent, as Unleash's SDKs do. Call it per evaluation (or per request) so that the time is current.
 * @example
 * flags.forContext(toContext({ userId: 'u-1', properties: { plan: 'pro' } })).isEnabled('new-checkout')
 */
export const toContext = (context: UnleashContext = {}, now: () => number = Date.now): Context => {
  const out: Context = {}
  const put = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return
    // A field named "__proto__" stays a plain key.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  const properties = context.properties
  if (properties && typeof properties === 'object') for (const key of Object.keys(properties)) put(key, properties[key])
  for (const key of Object.keys(context)) if (key !== 'properties' && key !== 'currentTime') put(key, context[key])
  const time = context.currentTime
  const t = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : now()
  out.currentTime = Number.isFinite(t) ? new Date(t).toISOString() : String(time)
  return out
}
