import { ErrorCode, FlagstageError } from './errors.ts'
import { describeValue as show, expectedOneOf as oneOf, formatPath } from './json-path.ts'
import type { PathSegment } from './json-path.ts'

// The machinery under validateConfig: a walk over shapes. A shape lists the keys an object may have,
// each with the check of its value. The object's own keys are checked against the shape first, then
// the checks run in shape order, so problems are found in a fixed order. The path is a stack of keys,
// formatted only on error. Validation is synchronous and not re-entrant, so this state is shared.

/** A JSON object being checked. */
export type Obj = Record<string, unknown>
/** Checks the value `v` found at key `k` of the object `o`; the path down to `o` is on `stack`. */
export type Check = (v: unknown, k: string, o: Obj) => unknown
/** The keys an object may have, each with the check of its value, in check order. */
export type Shape = Record<string, Check>
/**
 * A reference, for the cycle check: a prerequisite (`{ flag, variant }`, found at `requires[i]`) or a
 * segment reference (`{ flag: segment, at: path of the condition }`).
 */
export interface Ref { flag: string; variant?: unknown; at?: PathSegment[] }

export const own: (o: object, k: PropertyKey) => boolean = Object.hasOwn
const quote = JSON.stringify
export const names: (o: object) => string[] = Object.keys
export const finite: (v: unknown) => boolean = Number.isFinite
export const isArray: (v: unknown) => v is unknown[] = Array.isArray
/** Longest chain of prerequisites, or of segments referencing segments, accepted. */
export const MAX_CHAIN_DEPTH = 64
/** The path to the value being checked. */
export const stack: PathSegment[] = []
/** References for the cycle check: segment → its references, then flag → its `requires`. */
export const graph: Map<string, Ref[]> = new Map()

// Typed as consts with annotations so that TypeScript narrows after them.
export const fail: (message: string, key?: PathSegment) => never = (message, key) => {
  if (key !== undefined) stack.push(key)
  throw new FlagstageError(ErrorCode.INVALID_CONFIG, message, { path: formatPath(stack) })
}
/** Unless `ok`: `expected <what>, got <v>` (or `missing (expected <what>)`), at `key`. */
export const is: (ok: unknown, what: string, v: unknown, key?: PathSegment) => asserts ok = (ok, what, v, key) => {
  if (!ok) fail(missing(v) ? `missing (expected ${what})` : `expected ${what}, got ${show(v)}`, key)
}
/** Reports `v` (a reference or an operator) as none of `choices`. */
export const unknown = (v: unknown, choices: string[], key?: PathSegment): void => is(0, oneOf(choices), v, key)
export const missing = (v: unknown): v is undefined => v === undefined
export const isString = (v: unknown): v is string => typeof v == 'string'
export const isScalar = (v: unknown): boolean => isString(v) || typeof v == 'boolean' || finite(v)
export const isObject = (v: unknown): v is Obj => typeof v == 'object' && !!v && !isArray(v)
export const object = (v: unknown): Obj => {
  is(isObject(v), 'an object', v)
  return v
}

export const at = (k: PathSegment, check: (v: unknown) => unknown, v: unknown): void => {
  stack.push(k)
  check(v)
  stack.pop()
}
/** Calls `f` with each own entry of `o`, at its path; returns how many there were. */
export const each = (o: Obj, f: (v: unknown, k: string) => unknown): number => {
  let n = 0
  for (const k in o) if (own(o, k)) stack.push(k), f(o[k], k), stack.pop(), n++
  return n
}
/** Calls `f` with each item of `a`, at its path. */
export const items = (a: unknown[], f: (v: unknown) => unknown): void => {
  for (let i = 0; i < a.length; i++) stack.push(i), f(a[i]), stack.pop()
}
/** Checks that `v`, at `k`, is an array of at least `min` items, and calls `f` with each. */
export const list = (v: unknown, k: string, f: (v: unknown) => unknown, min = 0): void => {
  is(isArray(v) && v.length >= min, min ? 'a non-empty array' : 'an array', v, k)
  stack.push(k)
  items(v, f)
  stack.pop()
}
/**
 * Reports the first own key of `o`, in key order, that `shape` does not allow. A key of `kinds` (the
 * condition kinds, when `o` is a condition) is reported at `o` itself: it has two kinds.
 */
export const keys = (o: Obj, shape: object, kinds?: object): void => {
  for (const k in o) {
    if (!own(shape, k) && own(o, k)) {
      fail(`unexpected key ${quote(k)} (expected ${oneOf(names(shape))})`, kinds && own(kinds, k) ? undefined : k)
    }
  }
}
/** Checks that `v` is an object with only the keys of `shape`, then checks its values in shape order. */
export const walk = (v: unknown, shape: Shape, kinds?: object): Obj => {
  const o = object(v)
  keys(o, shape, kinds)
  for (const k in shape) if (own(shape, k)) (shape[k] as Check)(o[k], k, o)
  return o
}
export const walker = (shape: Shape) => (v: unknown): Obj => walk(v, shape)
/** The check that runs `check` one level down, at the key. */
export const under = (check: (v: unknown) => unknown): Check => (v, k) => at(k, check, v)
/** The check that runs `check` unless the value is missing. */
export const opt = (check: Check): Check => (v, k, o) => missing(v) || check(v, k, o)

export const str: Check = (v, k) => is(missing(v) || isString(v), 'a string', v, k)
export const name = (v: unknown, k?: PathSegment): void => is(isString(v) && v, 'a non-empty string', v, k)
export const bool: Check = (v, k) => is(typeof v == 'boolean', 'true or false', v, k)
export const scalar = (v: unknown): void => is(isScalar(v), 'a string, number or boolean', v)

/**
 * Walks `graph` depth-first from each node in key order and reports the reference that closes the
 * first cycle met, as a `what` cycle at `key` of the reference. Iterative: a chain of 10,000 flags is fine.
 */
export const cycle = (what: string, key: string): void => {
  const next = new Map<string, number>() // node → its next reference while on the walk, -1 once done
  const height = new Map<string, number>() // node → longest chain of references below it, once done
  for (const start of graph.keys()) {
    const walked = [start]
    while (walked.length) {
      const from = walked.at(-1) as string
      const i = next.get(from) ?? 0
      const refs = graph.get(from)
      const ref = refs?.[i]
      next.set(from, ref ? i + 1 : -1)
      if (!ref) {
        walked.pop()
        // Chains are bounded so that evaluation needs no deep recursion (issue #9): report the deepest.
        let h = 0
        let j = -1
        refs?.forEach((r, k) => (height.get(r.flag) ?? 0) >= h && ((h = (height.get(r.flag) ?? 0) + 1), (j = k)))
        height.set(from, h)
        if (h > MAX_CHAIN_DEPTH) {
          const chain = [from]
          for (let at = from; chain.length <= MAX_CHAIN_DEPTH + 1; ) {
            const deepest = (graph.get(at) ?? []).reduce((a: Ref | undefined, r) => (!a || (height.get(r.flag) ?? 0) > (height.get(a.flag) ?? 0) ? r : a), undefined)
            if (!deepest) break
            chain.push((at = deepest.flag))
          }
          const r = (refs as Ref[])[j] as Ref
          stack.length = 0
          stack.push(...(r.at ?? ['flags', from, 'requires', j]))
          fail(`${what} chain deeper than ${MAX_CHAIN_DEPTH}: ${chain.slice(0, 4).map((k) => quote(k)).join(' → ')} → ...`, key)
        }
      } else if (!next.has(ref.flag)) walked.push(ref.flag)
      else if ((next.get(ref.flag) as number) >= 0) {
        stack.length = 0
        stack.push(...(ref.at ?? ['flags', from, 'requires', i]))
        fail(`${what} cycle: ${[...walked.slice(walked.indexOf(ref.flag)), ref.flag].map((k) => quote(k)).join(' → ')}`, key)
      }
    }
  }
  graph.clear()
}
