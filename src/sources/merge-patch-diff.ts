// The inverse of merge-patch.ts: the RFC 7396 merge patch that turns one JSON document into another.
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Deep equality of two JSON values (key order ignored). */
const same = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (!isObject(a) || !isObject(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]))
}

/** A `null` member of an object (outside arrays) cannot be sent in a merge patch: it means "delete". */
const hasNullMember = (value: unknown): boolean => {
  if (!isObject(value)) return false
  for (const k in value) if (value[k] === null || hasNullMember(value[k])) return true
  return false
}

const NOT_EXPRESSIBLE = Symbol('not expressible')

/** Set an own member: `defineProperty` keeps a "__proto__" key a key instead of a prototype. */
const put = (target: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

const diff = (from: unknown, to: unknown, depth: number): unknown => {
  if (!isObject(from) || !isObject(to) || depth > 64) return hasNullMember(to) ? NOT_EXPRESSIBLE : to
  const patch: Record<string, unknown> = {}
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) put(patch, k, null)
  for (const k of Object.keys(to)) {
    const next = to[k]
    const had = Object.hasOwn(from, k)
    if (had && same(from[k], next)) continue
    if (next === null) return NOT_EXPRESSIBLE // a member set to null reads as a deletion
    const sub = had ? diff(from[k], next, depth + 1) : hasNullMember(next) ? NOT_EXPRESSIBLE : next
    if (sub === NOT_EXPRESSIBLE) return NOT_EXPRESSIBLE
    put(patch, k, sub)
  }
  return patch
}

/**
 * The RFC 7396 merge patch that turns `from` into `to`: `mergePatch(from, mergePatchDiff(from, to))`
 * deep-equals `to`. Members removed become `null`, changed objects are diffed member by member,
 * anything else (arrays included) is sent whole; `{}` when nothing changed. Undefined when no
 * merge patch can express the change: `to` has an object member whose value is `null` (a patch
 * would read it as a deletion), so the caller sends the whole document instead.
 * @example
 * mergePatchDiff({ a: 1, b: { c: 2 } }, { b: { c: 3 } }) // { a: null, b: { c: 3 } }
 */
export const mergePatchDiff = (from: unknown, to: unknown): unknown => {
  const patch = diff(from, to, 0)
  return patch === NOT_EXPRESSIBLE ? undefined : patch
}
