import { ErrorCode, FlagstageError } from './errors.ts'
import type { ProblemDetails } from './errors.ts'
import { describeValue, expectedOneOf, formatPath } from './json-path.ts'
import type { PathSegment } from './json-path.ts'

// The machinery under validateConfig, kept cheap for a cold process: the path is a stack of keys that is
// formatted only when a problem is found, and problems go to one place, which throws (the normal,
// fail-fast mode) or records and returns (all-problems mode, for `configProblems`). Checks are written
// as `if (!ok) return expect(...)`, so they read the same in both modes. Validation is synchronous and
// not re-entrant, so this state is shared.

/** A JSON object being checked. */
export type Obj = Record<string, unknown>
/** The keys an object may have (a null-prototype set), in the order messages list them. */
export type Keys = Record<string, 1>
/** A reference, for the cycle check: to a flag (`requires[i]`) or a segment (`at`: the condition's path). */
export interface Ref { flag: string; variant?: unknown; at?: PathSegment[] }

// Wrapped, not aliased: bundlers cannot prove a top-level read of `Object.hasOwn` pure, and one such
// statement keeps the whole validator in apps that never validate (`isEnabled` alone).
export const own = (o: object, k: PropertyKey): boolean => Object.hasOwn(o, k)
export const names = (o: object): string[] => Object.keys(o)
export const finite = (v: unknown): boolean => Number.isFinite(v)
export const isArray: (v: unknown) => v is unknown[] = Array.isArray
/** Longest chain of prerequisites, or of segments referencing segments, accepted. */
export const MAX_CHAIN_DEPTH = 64
export const isString = (v: unknown): v is string => typeof v == 'string'
export const isScalar = (v: unknown): boolean => typeof v == 'string' || typeof v == 'boolean' || finite(v)
export const isObject = (v: unknown): v is Obj => typeof v == 'object' && v !== null && !isArray(v)

/**
 * `keySet('a b')`: the allowed keys of an object, as a table. A function declaration marked free of
 * side effects, so that the module-level tables built with it shake out of apps that never validate
 * (bundlers keep the marker on declarations, not on arrow functions in the flat dist/ build).
 */
/* @__NO_SIDE_EFFECTS__ */
export function keySet(list: string): Keys {
  const set = Object.create(null) as Keys
  for (const k of list.split(' ')) set[k] = 1
  return set
}

/** The path to the value being checked. */
export const path: PathSegment[] = []
/** References for the cycle check: node → its references, in key order. */
export const graph: Map<string, Ref[]> = new Map()
let found: FlagstageError[] | undefined

/** Problems are recorded into `into` (all-problems mode) or, when undefined, the first one is thrown. */
export const collectInto = (into: FlagstageError[] | undefined): void => {
  found = into
}

/** Reports `message` at the current path (plus `key`): throws, or records and returns undefined. */
export const fail = (message: string, key?: PathSegment, details?: ProblemDetails, code: ErrorCode = ErrorCode.INVALID_CONFIG): undefined => {
  if (key !== undefined) path.push(key)
  const error = new FlagstageError(code, message, { path: formatPath(path), details })
  if (key !== undefined) path.pop()
  if (!found) throw error
  found.push(error)
}
/** `expected <what>, got <v>` (or `missing (expected <what>)`), at `key`. */
export const expect = (what: string, v: unknown, key?: PathSegment, details?: ProblemDetails): undefined =>
  fail(v === undefined ? `missing (expected ${what})` : `expected ${what}, got ${describeValue(v)}`, key, details)
/** Reports `v` (a reference or an operator) as none of `choices`, with both in `details` for "did you mean". */
export const oneOf = (v: unknown, choices: string[], key?: PathSegment): undefined =>
  expect(expectedOneOf(choices), v, key, { expected: choices, got: v })
export const str = (v: unknown, key: string): unknown => v === undefined || isString(v) || expect('a string', v, key)
export const name = (v: unknown, key?: PathSegment): unknown => (isString(v) && v) || expect('a non-empty string', v, key)

/**
 * Reports each own key of `o`, in key order, that `allowed` does not have. A key of `kinds` (the
 * condition kinds, when `o` is a condition) is reported at `o` itself: it has two kinds.
 */
export const keys = (o: Obj, allowed: Keys, kinds?: Keys): void => {
  for (const k in o) {
    if (allowed[k] !== 1 && own(o, k)) {
      const expected = names(allowed)
      fail(`unexpected key ${JSON.stringify(k)} (expected ${expectedOneOf(expected)})`, kinds?.[k] === 1 ? undefined : k, { expected, got: k })
    }
  }
}

/**
 * Walks `graph` depth-first from each node in key order and reports the reference that closes a cycle,
 * as a `what` cycle at `key` of the reference (the first one; every one in all-problems mode).
 * Iterative: a chain of 10,000 flags is fine.
 */
export const cycle = (what: string, key: string): void => {
  const next = new Map<string, number>() // node → its next reference while on the walk, -1 once done
  const height = new Map<string, number>() // node → longest chain of references below it, once done
  let deep = false
  for (const start of graph.keys()) {
    if (next.has(start)) continue
    const walked = [start]
    while (walked.length) {
      const from = walked.at(-1) as string
      const i = next.get(from) ?? 0
      const refs = graph.get(from)
      const ref = refs?.[i]
      // The end of the list, not a malformed entry (`requires: [null, ...]`, reported already), ends the walk
      // from here: a cycle through a later entry is still found in all-problems mode.
      const more = i < (refs?.length ?? 0)
      next.set(from, more ? i + 1 : -1)
      if (!more) {
        walked.pop()
        // Chains are bounded so that evaluation needs no deep recursion (issue #9): report the deepest.
        let h = 0
        let j = -1
        refs?.forEach((r, k) => r && (height.get(r.flag) ?? 0) >= h && ((h = (height.get(r.flag) ?? 0) + 1), (j = k)))
        height.set(from, h)
        if (h > MAX_CHAIN_DEPTH && !deep) {
          deep = true // one report per chain graph, also in all-problems mode
          const chain = [from]
          for (let at = from; chain.length <= MAX_CHAIN_DEPTH + 1; ) {
            const deepest = (graph.get(at) ?? []).reduce((a: Ref | undefined, r) => (!r ? a : !a || (height.get(r.flag) ?? 0) > (height.get(a.flag) ?? 0) ? r : a), undefined)
            if (!deepest) break
            chain.push((at = deepest.flag))
          }
          const r = (refs as Ref[])[j] as Ref
          const depth = path.length
          path.push(...(r.at ?? ['flags', from, 'requires', j]))
          fail(`${what} chain deeper than ${MAX_CHAIN_DEPTH}: ${chain.slice(0, 4).map((k) => JSON.stringify(k)).join(' → ')} → ...`, key)
          path.length = depth
        }
      } else if (!ref) continue // a malformed entry, reported already
      else if (!next.has(ref.flag)) walked.push(ref.flag)
      else if ((next.get(ref.flag) as number) >= 0) {
        const depth = path.length
        path.push(...(ref.at ?? ['flags', from, 'requires', i]))
        fail(`${what} cycle: ${[...walked.slice(walked.indexOf(ref.flag)), ref.flag].map((k) => JSON.stringify(k)).join(' → ')}`, key)
        path.length = depth
      }
    }
  }
  graph.clear()
}
