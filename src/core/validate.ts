import { ErrorCode, FlagstageError } from './errors.ts'
import { describeValue as show, expectedOneOf as oneOf, formatPath } from './json-path.ts'
import type { PathSegment } from './json-path.ts'
import { parseSemver } from './semver.ts'
import type { Config } from './types.ts'

/** Longest `matches` pattern accepted, in UTF-16 code units (bounds regex compile and backtracking cost). */
export const MAX_REGEX_LENGTH: number = 256
/** Deepest nesting accepted for conditions (`all` / `any` / `not`) and for variant values. */
export const MAX_NESTING_DEPTH: number = 32

// The validator is a walk over shapes: a shape lists the keys an object may have, each with the check
// of its value. Checks run in shape order, after the object's own keys are checked against the shape,
// so problems are reported in a fixed order. The path is a stack of keys, formatted only on error.

type Obj = Record<string, unknown>
/** Checks the value `v` found at key `k` of the object `o`; the path down to `o` is on `stack`. */
type Check = (v: unknown, k: string, o: Obj) => unknown
type Shape = Record<string, Check>
/**
 * A reference, for the cycle check: a prerequisite (`{ flag, variant }`, found at `requires[i]`) or a
 * segment reference (`{ flag: segment, at: path of the condition }`).
 */
interface Ref { flag: string; variant?: unknown; at?: PathSegment[] }

// An ISO 8601 date, or a date-time with a zone: a zone-less time would read differently on every
// client's clock. Fractions up to nanoseconds, as RFC 3339 tools write them.
const INSTANT = /^\d{4}-\d\d-\d\d(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/
// Ordered by operand, so that ATTR.values and ATTR.value tell the operand from the index.
const OPS = 'in notIn eq neq contains startsWith endsWith matches lt lte gt gte before after semverEq semverLt semverLte semverGt semverGte exists'.split(' ')

const own = Object.hasOwn
const names = Object.keys
const quote = JSON.stringify
const finite = Number.isFinite
const isArray = Array.isArray
// Validation is synchronous and not re-entrant, so its state is shared, and reset after each call.
const stack: PathSegment[] = []
const graph = new Map<string, Ref[]>() // segment → its references, then flag → its `requires`
let segments: Obj = {}
const ON_OFF = { on: 0, off: 0 } // the variants of a flag without `variants`
let variants: Obj = ON_OFF // of the flag being checked
let depth = 0 // of the condition or variant value being checked
let op = 0 // index in OPS of the condition being checked
let time = 0 // of the `from` or `start` just checked
let sum = 0 // of the split weights

// Typed as consts with annotations so that TypeScript narrows after them.
const fail: (message: string, key?: PathSegment) => never = (message, key) => {
  if (key !== undefined) stack.push(key)
  throw new FlagstageError(ErrorCode.INVALID_CONFIG, message, { path: formatPath(stack) })
}
const is: (ok: unknown, what: string, v: unknown, key?: PathSegment) => asserts ok = (ok, what, v, key) => {
  if (!ok) fail(missing(v) ? `missing (expected ${what})` : `expected ${what}, got ${show(v)}`, key)
}
/** Reports `v` (a reference or an operator) as none of `choices`. */
const unknown = (v: unknown, choices: string[], key?: PathSegment): void => is(0, oneOf(choices), v, key)
const missing = (v: unknown): v is undefined => v === undefined
const isString = (v: unknown): v is string => typeof v == 'string'
const isScalar = (v: unknown): boolean => isString(v) || typeof v == 'boolean' || finite(v)
const isObject = (v: unknown): v is Obj => typeof v == 'object' && !!v && !isArray(v)
const object = (v: unknown): Obj => {
  is(isObject(v), 'an object', v)
  return v
}
const deeper = (): void => {
  if (depth++ >= MAX_NESTING_DEPTH) fail('nested deeper than 32 levels')
}
const at = (k: PathSegment, check: (v: unknown) => unknown, v: unknown): void => {
  stack.push(k)
  check(v)
  stack.pop()
}
/** Calls `f` with each own entry of `o`, at its path; returns how many there were. */
const each = (o: Obj, f: (v: unknown, k: string) => unknown): number => {
  let n = 0
  for (const k in o) if (own(o, k)) stack.push(k), f(o[k], k), stack.pop(), n++
  return n
}
/** Calls `f` with each item of `a`, at its path. */
const items = (a: unknown[], f: (v: unknown) => unknown): void => {
  for (let i = 0; i < a.length; i++) stack.push(i), f(a[i]), stack.pop()
}
const list = (v: unknown, k: string, f: (v: unknown) => unknown, min = 0): void => {
  is(isArray(v) && v.length >= min, min ? 'a non-empty array' : 'an array', v, k)
  stack.push(k)
  items(v, f)
  stack.pop()
}
/**
 * Reports the first own key of `o`, in key order, that `shape` does not allow. In a condition, the key
 * of another kind is reported at the condition: it has two kinds.
 */
const keys = (o: Obj, shape: object, inCondition?: unknown): void => {
  for (const k in o) {
    if (!own(shape, k) && own(o, k)) {
      fail(`unexpected key ${quote(k)} (expected ${oneOf(names(shape))})`, inCondition && own(KINDS, k) ? undefined : k)
    }
  }
}
/** Checks that `v` is an object with only the keys of `shape`, then checks its values in shape order. */
const walk = (v: unknown, shape: Shape, inCondition?: unknown): Obj => {
  const o = object(v)
  keys(o, shape, inCondition)
  for (const k in shape) if (own(shape, k)) (shape[k] as Check)(o[k], k, o)
  return o
}
const walker = (shape: Shape) => (v: unknown): Obj => walk(v, shape)
/** The check that runs `check` one level down, at the key. */
const under = (check: (v: unknown) => unknown): Check => (v, k) => at(k, check, v)
const opt = (check: Check): Check => (v, k, o) => missing(v) || check(v, k, o)

const str: Check = (v, k) => is(missing(v) || isString(v), 'a string', v, k)
const name = (v: unknown, k?: PathSegment): void => is(isString(v) && v, 'a non-empty string', v, k)
const bool: Check = (v, k) => is(typeof v == 'boolean', 'true or false', v, k)
const scalar = (v: unknown): void => is(isScalar(v), 'a string, number or boolean', v)
const percent = (v: unknown, k: string): void => is(finite(v) && (v as number) >= 0 && (v as number) <= 100, '0 to 100', v, k)
const instant = (v: unknown, k?: PathSegment): number => {
  // Some engines read 2026-02-30 as March 2: the day of the month must survive the parse.
  const t = isString(v) && INSTANT.test(v) && new Date(v.slice(0, 10)).getUTCDate() == +v.slice(8, 10) ? Date.parse(v) : NaN
  is(t === t, 'an ISO 8601 date or zoned date-time', v, k)
  return t
}
const until: Check = (v, k) => is(instant(v, k) > time, 'a later time', v, k)
/** `v` names a variant of the current flag; when missing, the default must be one ("off" for offVariant). */
const variant = (v: unknown, k?: PathSegment): void => {
  const name = missing(v) ? (k == 'offVariant' ? 'off' : 'on') : v
  if (!(isString(name) && own(variants, name))) unknown(v, names(variants), k)
}
const json = (v: unknown): void => {
  if (typeof v == 'object' && v) {
    deeper()
    isArray(v) ? items(v, json) : each(v as Obj, json)
    depth--
  } else is(v === null || isScalar(v), 'a JSON value', v)
}

const condition = (v: unknown): void => {
  deeper()
  const c = object(v)
  let kind: string | undefined
  for (const k of KIND_NAMES) {
    if (!missing(c[k])) {
      kind = k
      break
    }
  }
  walk(c, kind ? (KINDS[kind] as Shape) : NO_KIND, kind)
  depth--
}
const regex: Check = (v, k, o) => {
  is(isString(v) && v.length <= MAX_REGEX_LENGTH, 'a regex of at most 256 chars', v, k)
  try {
    new RegExp(v, o.caseInsensitive ? 'i' : '')
  } catch (error) {
    fail(`bad regex: ${(error as Error).message}`, k)
  }
}
const none = (o: Obj, k: string): unknown => missing(o[k]) || fail(`${OPS[op]} takes no "${k}"`, k)
const ATTR: Shape = {
  attr: name,
  op: (v, k) => (op = OPS.indexOf(v as string)) >= 0 || unknown(v, OPS, k),
  caseInsensitive: opt(bool),
  // in and notIn take values, exists nothing, the others a value.
  values: (v, k, o) => (op < 2 ? (none(o, 'value'), list(v, k, scalar)) : none(o, k)),
  value: (v, k, o) =>
    op > 18 ? none(o, k)
      : op > 13 ? is(isString(v) && parseSemver(v), 'a version like 1.2.3', v, k)
        : op > 11 ? finite(v) || instant(v, k)
          : op > 7 ? is(finite(v), 'a number', v, k)
            : op > 6 ? regex(v, k, o)
              : op > 1 && at(k, scalar, v),
}
const conditions: Check = (v, k) => list(v, k, condition, 1)
/** The kinds of condition, in precedence order, each with its shape. */
const KINDS: Record<string, Shape> = {
  attr: ATTR,
  segment: {
    segment: (v, k) => {
      isString(v) && own(segments, v) || unknown(v, names(segments), k)
      // stack[1] is the segment being defined; in a flag, the flag, which has no references yet.
      graph.get(stack[1] as string)?.push({ flag: v as string, at: stack.slice() })
    },
  },
  all: { all: conditions },
  any: { any: conditions },
  not: { not: under(condition) },
}
const KIND_NAMES = names(KINDS)
// Any condition key is allowed; the first check reports the missing kind.
const NO_KIND = { ...KINDS, ...ATTR, attr: () => fail('expected attr, segment, all, any or not') } as Shape

const ROLLOUT: Shape = {
  by: opt(name),
  salt: str,
  rollout: (v, k) =>
    isObject(v) ? at(k, ramp, v)
      // A whole number of hundredths, give or take 1e-6: 1.1 * 100 is 110.00000000000001.
      : (percent(v, k), is(((v as number) * 100 + 1e-6) % 1 < 2e-6, 'at most two decimals', v, k)),
  variant,
}
const weight = (w: unknown, name: string): void => {
  variant(name)
  is(finite(w) && (w as number) >= 0, 'a weight >= 0', w)
  sum += w as number
}
const SPLIT: Shape = {
  by: opt(name),
  salt: str,
  split: under((v) => {
    sum = 0
    each(object(v), weight)
    // 33.33 * 3 sums to 99.99000000000001 in floating point: allow for that beyond the 0.01 tolerance.
    if (Math.abs(sum - 100) > 0.01 + 1e-9) fail(`weights sum to ${+sum.toFixed(6)} (expected 100)`)
  }),
}
// Neither or both of rollout and split: any serve key is allowed; the first check reports the kinds.
const NO_SERVE: Shape = { ...ROLLOUT, ...SPLIT, by: () => fail('expected rollout or split') }
const ramp = walker({ from: percent, to: percent, start: (v, k) => (time = instant(v, k)), end: until })
const serve = (v: unknown): void => {
  if (isString(v)) return variant(v)
  is(isObject(v), 'a variant name or an object', v)
  const rollout = !missing(v.rollout)
  walk(v, rollout === missing(v.split) ? (rollout ? ROLLOUT : SPLIT) : NO_SERVE)
}
const rule = walker({ if: opt(under(condition)), serve: under(serve) })
const prerequisite = walker({ flag: name, variant: str })
const schedule = walker({ from: (v, k) => (time = missing(v) ? -Infinity : instant(v, k)), until: opt(until) })

const FLAG: Shape = {
  enabled: bool,
  variants: opt(under((v) => {
    each(object(v), json) || fail('expected at least one variant')
    variants = v as Obj
  })),
  offVariant: variant,
  salt: str,
  description: str,
  schedule: opt(under(schedule)),
  rules: opt((v, k) => list(v, k, rule)),
  requires: opt((v, k) => {
    list(v, k, prerequisite)
    graph.set(stack[1] as string, v as Ref[])
  }),
}

// Walks `graph` depth-first from each node in key order and reports the reference that closes the
// first cycle met. Iterative, so a chain of 10,000 flags is fine.
const cycle = (what: string, key: string): void => {
  const next = new Map<string, number>() // node → its next reference while on the walk, -1 once done
  for (const start of graph.keys()) {
    const walked = [start]
    while (walked.length) {
      const from = walked.at(-1) as string
      const i = next.get(from) ?? 0
      const ref = graph.get(from)?.[i]
      next.set(from, ref ? i + 1 : -1)
      if (!ref) walked.pop()
      else if (!next.has(ref.flag)) walked.push(ref.flag)
      else if ((next.get(ref.flag) as number) >= 0) {
        stack.length = 0
        stack.push(...(ref.at ?? ['flags', from, 'requires', i]))
        fail(`${what} cycle: ${[...walked.slice(walked.indexOf(ref.flag)), ref.flag].map(quote as (k: string) => string).join(' → ')}`, key)
      }
    }
  }
  graph.clear()
}

const ROOT: Shape = {
  schemaVersion: (v, k) => is(v === 1, '1', v, k),
  revision: str,
  $schema: str,
  description: str,
  meta: opt(under(object)),
  segments: opt(under((v) => {
    each((segments = object(v)), (c, key) => {
      name(key)
      graph.set(key as string, [])
      condition(c)
    })
    cycle('segment', 'segment')
  })),
  flags: under((v) => {
    const flags = object(v)
    each(flags, (f, key) => {
      name(key)
      variants = ON_OFF
      walk(f, FLAG)
    })
    // Once every flag is known: prerequisites name existing flags and variants, and form no cycle.
    for (const [key, refs] of graph) {
      for (let i = 0; i < refs.length; i++) {
        const { flag, variant: v } = refs[i] as Ref
        stack.splice(1, 3, key, 'requires', i)
        if (!own(flags, flag)) unknown(flag, names(flags), 'flag')
        variants = ((flags[flag] as Obj).variants ?? ON_OFF) as Obj
        variant(v, 'variant')
      }
    }
    cycle('prerequisite', 'flag')
  }),
}

/**
 * Check that `input` is a valid flagstage config (DESIGN section 3) and return it, typed; it is neither
 * copied nor changed. Keys are plain data: `__proto__` or `constructor` are ordinary flag, segment,
 * variant and attribute names. Besides the documented fields, the root may carry `$schema`,
 * `description` and `meta` (an object), and a flag a `description`; any other key is an error, so
 * typos like `"vaule"` are caught. `exists` takes no `value` (wrap it in `not` for "must not exist");
 * split weights must sum to 100 (±0.01). Problems are looked for in a fixed order: root fields,
 * segments, flags in key order, then prerequisites and cycles; the first one found is thrown.
 * @throws {FlagstageError} code `INVALID_CONFIG`, `path` of the first problem (like
 * `flags["new-checkout"].rules[2].if.op`) and a message saying what is wrong and what is expected.
 * @example
 * const config = validateConfig(JSON.parse(text))
 */
export const validateConfig = (input: unknown): Config => {
  try {
    walk(input, ROOT)
    return input as Config
  } finally {
    // Drop every reference to the input, valid or not.
    stack.length = depth = 0
    graph.clear()
    segments = {}
    variants = ON_OFF
  }
}
