import type { Context } from 'flagstage'

/**
 * A flagd / OpenFeature evaluation context as a flagstage context: nested objects are also readable
 * by their dotted path (`{ user: { name } }` adds `"user.name"`), which is how flagd's `{ "var":
 * "user.name" }` reads them; top-level keys are kept as they are.
 * @example
 * flags.forContext(flagdContext({ targetingKey: 'u-1', user: { tier: 'pro' } })).value('color', 'red')
 */
export const flagdContext = (context: Record<string, unknown> = {}): Context => {
  const out: Context = {}
  const put = (key: string, value: unknown): void => {
    if (!Object.hasOwn(out, key)) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  const walk = (o: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const key of Object.keys(o)) {
      const value = o[key]
      put(prefix + key, value)
      if (depth < 8 && value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
        walk(value as Record<string, unknown>, `${prefix}${key}.`, depth + 1)
      }
    }
  }
  walk(context, '', 0)
  return out
}
