import { FlagstageError } from '../core/errors.ts'
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Apply an RFC 7396 JSON merge patch without mutating `target`: objects merge key by key,
 * `null` deletes, anything else (arrays included) replaces.
 *
 * Safe for untrusted keys: members go through a `Map` and come out through `Object.fromEntries`,
 * which defines own properties, so a `"__proto__"` key stays a plain key and never reaches a
 * prototype.
 * @example
 * mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } }) // { a: 1, b: { d: 3 } }
 */
export function mergePatch(target: unknown, patch: unknown, depth = 0): unknown {
  if (!isObject(patch)) return patch
  // A patch nested deeper than any valid config is an invalid document, not a stack overflow (issue #9).
  if (depth > 64) throw new FlagstageError('INVALID_CONFIG', 'Merge patch nested deeper than 64 levels')
  const members = new Map(isObject(target) ? Object.entries(target) : [])
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) members.delete(key)
    else members.set(key, mergePatch(members.get(key), value, depth + 1))
  }
  return Object.fromEntries(members)
}
