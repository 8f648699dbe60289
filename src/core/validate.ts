import type { PathSegment } from './json-path.ts'
import { compileRegex } from './regex.ts'
import { parseSemver } from './semver.ts'
import type { Config } from './types.ts'
import {
  at, bool, cycle, each, fail, finite, graph, is, isArray, isObject, isScalar, isString, items, list, missing, name, names,
  object, opt, own, scalar, stack, str, under, unknown, walk, walker,
} from './validate-walk.ts'
import type { Check, Obj, Ref, Shape } from './validate-walk.ts'

/** Longest `matches` pattern accepted, in UTF-16 code units (bounds the compiled program, see regex.ts). */
export const MAX_REGEX_LENGTH: number = 256
/** Deepest nesting accepted for conditions (`all` / `any` / `not`) and for variant values. */
export const MAX_NESTING_DEPTH: number = 32

// The shapes of a config (the walk itself is in validate-walk.ts).

// An ISO 8601 date, or a date-time with a zone: a zone-less time would read differently on every
// client's clock. Fractions up to nanoseconds, as RFC 3339 tools write them.
const INSTANT = /^\d{4}-\d\d-\d\d(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/
// Ordered by operand, so that ATTR.values and ATTR.value tell the operand from the index.
const OPS = 'in notIn eq neq contains startsWith endsWith matches lt lte gt gte before after semverEq semverLt semverLte semverGt semverGte exists'.split(' ')
const ON_OFF = { on: 0, off: 0 } // the variants of a flag without `variants`

// State of the walk, reset after each call.
let segments: Obj = {}
let variants: Obj = ON_OFF // of the flag being checked
let depth = 0 // of the condition or variant value being checked
let op = 0 // index in OPS of the condition being checked
let time = 0 // of the `from` or `start` just checked
let sum = 0 // of the split weights

const deeper = (): void => {
  if (depth++ >= MAX_NESTING_DEPTH) fail('nested deeper than 32 levels')
}
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
  kind ? walk(c, KINDS[kind] as Shape, KINDS) : walk(c, NO_KIND)
  depth--
}
const regex: Check = (v, k, o) => {
  is(isString(v) && v.length <= MAX_REGEX_LENGTH, 'a regex of at most 256 chars', v, k)
  // The linear-time subset of regex.ts (issue #9): anything else is rejected here, with its position.
  const test = compileRegex(v, o.caseInsensitive === true)
  if (typeof test == 'string') fail(test, k)
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
