import type { FlagstageError } from './errors.ts'
import { ErrorCode } from './errors.ts'
import { registeredOperator } from './operators.ts'
import { parseSemver } from './semver.ts'
import type { Config } from './types.ts'
import {
  collectInto, cycle, expect, fail, finite, graph, isArray, isObject, isScalar, isString, keys, keySet, name, names, oneOf,
  own, path, str,
} from './validate-walk.ts'
import type { Keys, Obj, Ref } from './validate-walk.ts'
import type { PathSegment } from './json-path.ts'

/** Longest `matches` pattern accepted, in UTF-16 code units (bounds the compiled program, see regex.ts). */
export const MAX_REGEX_LENGTH: number = 256
/** Deepest nesting accepted for conditions (`all` / `any` / `not`) and for variant values. */
export const MAX_NESTING_DEPTH: number = 32

// The checks of a config, written straight: one pass, named reads, no closure per key, so that a cold
// process (interpreted code, as at a server's boot or a page's first load) validates 10,000 flags in a
// few milliseconds. Each object's keys are checked first, then its values in a fixed order, so the first
// problem reported is always the same one. Tables below say which keys each object may have and what
// each operator takes: adding an optional field or an operator is an entry there plus its check.

const ROOT = keySet('schemaVersion revision $schema description meta segments flags')
const FLAG = keySet('enabled variants offVariant salt description schedule rules requires')
const SCHEDULE = keySet('from until')
const RULE = keySet('if serve')
const ROLLOUT = keySet('by salt hash rollout variant then')
const SPLIT = keySet('by salt hash split')
const SERVE = keySet('by salt hash rollout variant then split')
const HASH = keySet('prefix seed buckets map') // neither or both of rollout and split
const RAMP = keySet('from to start end')
const REQUIRE = keySet('flag variant enabled')
/** The kinds of condition, in precedence order. */
const KINDS = keySet('attr segment all any not')
const ATTR = keySet('attr op caseInsensitive values value')
const CONDITION: Record<string, Keys> = { attr: ATTR, segment: keySet('segment'), all: keySet('all'), any: keySet('any'), not: keySet('not') }
const NO_KIND = keySet('attr segment all any not op caseInsensitive values value')

// What each operator takes, by operand: `values` (a list of scalars), then a `value` that is a scalar, a
// regex, a number, a number or an instant, a version, or nothing. Adding an operator is a name here (and
// its evaluation in conditions.ts). Messages list the operators in this order.
const OPERANDS = ['in notIn', 'eq neq contains startsWith endsWith', 'matches', 'lt lte gt gte', 'before after',
  'semverEq semverLt semverLte semverGt semverGte', 'exists', 'inCidr']
const LIST = 0
const SCALAR = 1
const REGEX = 2
const NUMBER = 3
const TIME = 4
const VERSION = 5
const CIDRS = 7
/* @__NO_SIDE_EFFECTS__ */
function operatorTable(): Record<string, number> {
  const table = Object.create(null) as Record<string, number>
  OPERANDS.forEach((list, operand) => list.split(' ').forEach((op) => (table[op] = operand)))
  return table
}
// Pure-annotated: no top-level work that a bundler must keep (see keySet).
const OPERATORS = /* @__PURE__ */ operatorTable()
const OPERATOR_NAMES = /* @__PURE__ */ names(OPERATORS)

// An ISO 8601 date, or a date-time with a zone: a zone-less time would read differently on every
// client's clock. Fractions up to nanoseconds, as RFC 3339 tools write them.
const INSTANT = /^\d{4}-\d\d-\d\d(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/
const ON_OFF: Obj = { on: 0, off: 0 } // the variants of a flag without `variants`

// State of one validation, reset after each call.
let segments: Obj = {}
let variants: Obj = ON_OFF // of the flag being checked
let refs: Ref[] | undefined // of the segment being checked (segment references in flags are not cycle edges)
let depth = 0 // of the condition or variant value being checked
let time = 0 // of the `from` or `start` just checked

const percent = (v: unknown): boolean => finite(v) && (v as number) >= 0 && (v as number) <= 100
/** Checks `v` at `key` with `check`. */
const at = <T>(key: PathSegment, check: (v: T) => unknown, v: T): void => {
  path.push(key)
  check(v)
  path.pop()
}
/** `v` is an object with only `allowed` keys (problems are reported); false when it is no object. */
const obj = (v: unknown, allowed: Keys, kinds?: Keys): v is Obj => (isObject(v) ? (keys(v, allowed, kinds), true) : !!expect('an object', v))
/** The instant `v` (ms), or NaN once reported. */
const instant = (v: unknown, key: string): number => {
  // Some engines read 2026-02-30 as March 2: the day of the month must survive the parse.
  const t = isString(v) && INSTANT.test(v) && new Date(v.slice(0, 10)).getUTCDate() == +v.slice(8, 10) ? Date.parse(v) : NaN
  if (t !== t) expect('an ISO 8601 date or zoned date-time', v, key)
  return t
}
/** An instant after `time` (the `from` or `start` before it). */
const later = (v: unknown, key: string): unknown => {
  const t = instant(v, key)
  return t !== t || time !== time || t > time || expect('a later time', v, key)
}
/** `v` names a variant of the current flag; when missing, `fallback` must be one. */
const variant = (v: unknown, key?: PathSegment, fallback?: string): unknown => {
  const n = v === undefined ? fallback : v
  return (isString(n) && own(variants, n)) || oneOf(v, names(variants), key)
}
const deeper = (): boolean => depth++ < MAX_NESTING_DEPTH || !!fail(`nested deeper than ${MAX_NESTING_DEPTH} levels`)
const json = (v: unknown): void => {
  if (typeof v != 'object' || v === null) v === null || isScalar(v) || expect('a JSON value', v)
  else {
    if (!deeper()) {} // reported
    else if (isArray(v)) for (let i = 0; i < v.length; i++) at(i, json, v[i])
    else for (const k in v) if (own(v, k)) at(k, json, (v as Obj)[k])
    depth--
  }
}
/** Checks each item of the array `v` at `key` (at least one, with `min`). */
const list = (v: unknown, key: string, check: (v: unknown) => unknown, min?: number): void => {
  if (!(isArray(v) && v.length >= (min ?? 0))) return void expect(min ? 'a non-empty array' : 'an array', v, key)
  path.push(key, 0)
  for (let i = 0; i < v.length; i++) (path[path.length - 1] = i), check(v[i])
  path.pop()
  path.pop()
}

const scalar = (v: unknown, key?: PathSegment): unknown => isScalar(v) || expect('a string, number or boolean', v, key)
/** An opt-in operator (`matches`, `inCidr`) the app has not registered: say which import to add. */
const notRegistered = (op: string): undefined =>
  fail(`"${op}" is an opt-in operator: add import { registerOperators, ${op}Operator } from 'flagstage' and call registerOperators(${op}Operator) before configs load`,
    'op', undefined, ErrorCode.OPERATOR_NOT_REGISTERED)
const attr = (c: Obj): unknown => {
  name(c.attr, 'attr')
  const op = c.op as string
  const operand = isString(op) ? OPERATORS[op] : undefined
  if (operand === undefined) return oneOf(op, OPERATOR_NAMES, 'op')
  const extra = operand == REGEX || operand == CIDRS ? registeredOperator(op) : undefined
  if ((operand == REGEX || operand == CIDRS) && !extra) return notRegistered(op)
  const ci = c.caseInsensitive
  ci === undefined || typeof ci == 'boolean' || expect('true or false', ci, 'caseInsensitive')
  const value = c.value
  const none = (k: string): unknown => c[k] === undefined || fail(`${op} takes no "${k}"`, k)
  if (operand == LIST) return none('value'), list(c.values, 'values', scalar)
  if (operand == CIDRS) return none('value'), list(c.values, 'values', (v) => extra!.check(v, false))
  none('values')
  return operand == SCALAR ? scalar(value, 'value')
    : operand == REGEX ? at('value', (v) => extra!.check(v, ci === true), value)
      : operand == NUMBER ? finite(value) || expect('a number', value, 'value')
        : operand == TIME ? finite(value) || instant(value, 'value')
          : operand == VERSION ? (isString(value) && parseSemver(value)) || expect('a version like 1.2.3', value, 'value')
            : none('value')
}
const condition = (c: unknown): void => {
  if (!deeper()) {} // reported
  else if (!isObject(c)) expect('an object', c)
  else {
    const kind = c.attr !== undefined ? 'attr' : c.segment !== undefined ? 'segment' : c.all !== undefined ? 'all'
      : c.any !== undefined ? 'any' : c.not !== undefined ? 'not' : undefined
    if (kind === undefined) keys(c, NO_KIND), fail('expected attr, segment, all, any or not')
    else {
      keys(c, CONDITION[kind] as Keys, KINDS)
      const s = c.segment
      kind == 'attr' ? attr(c)
        : kind == 'not' ? at('not', condition, c.not)
          : kind != 'segment' ? list(c[kind], kind, condition, 1)
            : isString(s) && own(segments, s) ? refs?.push({ flag: s, at: path.slice() })
              : oneOf(s, names(segments), 'segment')
    }
  }
  depth--
}

let relative = false // the split being checked has its own bucket count: weights are relative
const split = (w: unknown): void => {
  if (!isObject(w)) return void expect('an object', w)
  let sum = 0
  for (const k in w) {
    const x = w[k]
    if (!own(w, k)) continue
    variant(k, k)
    finite(x) && (x as number) >= 0 ? (sum += x as number) : expect('a weight >= 0', x, k)
  }
  if (relative) sum > 0 || expect('weights with a positive sum', w)
  // 33.33 * 3 sums to 99.99000000000001 in floating point: allow for that beyond the 0.01 tolerance.
  else if (Math.abs(sum - 100) > 0.01 + 1e-9) fail(`weights sum to ${+sum.toFixed(6)} (expected 100)`)
}
const ramp = (r: Obj): void => {
  keys(r, RAMP)
  percent(r.from) || expect('0 to 100', r.from, 'from')
  percent(r.to) || expect('0 to 100', r.to, 'to')
  time = instant(r.start, 'start')
  later(r.end, 'end')
}
const serve = (s: unknown): unknown => {
  if (isString(s)) return own(variants, s) || oneOf(s, names(variants))
  if (!isObject(s)) return expect('a variant name or an object', s)
  const rollout = s.rollout
  // Neither or both of rollout and split: any serve key is allowed, the problem is the kind.
  if ((rollout === undefined) === (s.split === undefined)) return keys(s, SERVE), fail('expected rollout or split')
  keys(s, rollout === undefined ? SPLIT : ROLLOUT)
  s.by === undefined || (isArray(s.by) ? list(s.by, 'by', (v) => name(v), 1) : name(s.by, 'by'))
  str(s.salt, 'salt')
  const h = s.hash
  if (h !== undefined) at('hash', bucketing, h)
  relative = isObject(h) && h.buckets !== undefined
  if (rollout === undefined) return at('split', split, s.split)
  isObject(rollout) ? at('rollout', ramp, rollout)
    : !percent(rollout) ? expect('0 to 100', rollout, 'rollout')
      // A whole number of hundredths, give or take 1e-6: 1.1 * 100 is 110.00000000000001.
      : ((rollout as number) * 100 + 1e-6) % 1 < 2e-6 || expect('at most two decimals', rollout, 'rollout')
  if (s.then === undefined) return variant(s.variant, 'variant', 'on')
  s.variant === undefined || fail('a rollout with "then" takes no variant', 'variant')
  return at('then', (t: unknown) => (isObject(t) && t.split !== undefined && t.rollout === undefined ? serve(t) : expect('a split', t)), s.then)
}
const int = (v: unknown, key: string, min: number, max: number): unknown =>
  v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max) || expect(`an integer from ${min} to ${max}`, v, key)
const bucketing = (h: unknown): unknown => {
  if (!obj(h, HASH)) return
  str(h.prefix, 'prefix')
  int(h.seed, 'seed', 0, 2 ** 32 - 1)
  int(h.buckets, 'buckets', 1, 2 ** 32)
  return h.map === undefined || ['mod', 'scale', 'abs'].includes(h.map as string) || oneOf(h.map, ['mod', 'scale', 'abs'], 'map')
}
// The hot path (every flag, every rule) tests types inline: a cold process runs it interpreted, where
// every call counts.
const rule = (r: unknown): void => {
  if (typeof r != 'object' || r === null || isArray(r)) return void expect('an object', r)
  keys(r as Obj, RULE)
  const test = (r as Obj).if
  const s = (r as Obj).serve
  if (test !== undefined) at('if', condition, test)
  if (typeof s != 'string' || !own(variants, s)) at('serve', serve, s)
}
const schedule = (s: unknown): unknown => {
  if (!obj(s, SCHEDULE)) return
  time = s.from === undefined ? -Infinity : instant(s.from, 'from')
  return s.until === undefined || later(s.until, 'until')
}
const prerequisite = (r: unknown): unknown => obj(r, REQUIRE) && (name(r.flag, 'flag'),
  r.enabled === undefined ? (isArray(r.variant) ? list(r.variant, 'variant', (v) => name(v)) : str(r.variant, 'variant'))
    : (typeof r.enabled == 'boolean' || expect('true or false', r.enabled, 'enabled'),
      r.variant === undefined || fail('takes "variant" or "enabled", not both', 'variant')))
const variantsOf = (vs: unknown): unknown => {
  if (!isObject(vs)) return expect('an object', vs)
  let n = 0
  for (const k in vs) if (own(vs, k)) n++, at(k, json, vs[k])
  return n ? (variants = vs) : fail('expected at least one variant')
}

/** Checks the flag at the path's end (`flags.<key>`); its prerequisites are checked once every flag is known. */
const flag = (f: unknown, key: string): void => {
  if (typeof f != 'object' || f === null || isArray(f)) return void expect('an object', f)
  keys(f as Obj, FLAG)
  const { enabled, variants: vs, offVariant, salt, description, schedule: sc, rules } = f as Obj
  typeof enabled == 'boolean' || expect('true or false', enabled, 'enabled')
  variants = ON_OFF
  if (vs !== undefined) at('variants', variantsOf, vs)
  ;(offVariant === undefined && variants === ON_OFF) || offVariant === null || variant(offVariant, 'offVariant', 'off')
  salt === undefined || str(salt, 'salt')
  description === undefined || str(description, 'description')
  if (sc !== undefined) at('schedule', schedule, sc)
  if (rules !== undefined) {
    if (!isArray(rules)) expect('an array', rules, 'rules')
    else {
      path.push('rules', 0)
      for (let i = 0; i < rules.length; i++) (path[path.length - 1] = i), rule(rules[i])
      path.pop()
      path.pop()
    }
  }
  const requires = (f as Obj).requires
  if (requires !== undefined) list(requires, 'requires', prerequisite), isArray(requires) && graph.set(key, requires as Ref[])
}

/** Once every flag is known: prerequisites name existing flags and variants, and form no cycle. */
const prerequisites = (flags: Obj, all: string[]): void => {
  for (const [key, list] of graph) {
    list.forEach((ref: unknown, i) => {
      if (!isObject(ref) || !isString(ref.flag)) return // reported already
      path.push('flags', key, 'requires', i)
      const target = own(flags, ref.flag) ? flags[ref.flag] : undefined
      const vs = isObject(target) && target.variants
      variants = isObject(vs) ? vs : ON_OFF
      target === undefined ? oneOf(ref.flag, all, 'flag')
        : isArray(ref.variant) ? ref.variant.forEach((v, j) => (path.push('variant'), variant(v, j), path.pop()))
          : ref.enabled === undefined && variant(ref.variant, 'variant', 'on')
      path.length = 0
    })
  }
  cycle('prerequisite', 'flag')
}

const root = (doc: unknown): string[] | undefined => {
  if (!obj(doc, ROOT)) return
  doc.schemaVersion === 1 || expect('1', doc.schemaVersion, 'schemaVersion')
  str(doc.revision, 'revision')
  str(doc.$schema, '$schema')
  str(doc.description, 'description')
  doc.meta === undefined || (isObject(doc.meta) ? at('meta', json, doc.meta) : expect('an object', doc.meta, 'meta'))
  const s = doc.segments
  if (s !== undefined) {
    if (!isObject(s)) expect('an object', s, 'segments')
    else {
      segments = s
      for (const key in s) {
        if (!own(s, key)) continue
        path.push('segments', key)
        name(key)
        graph.set(key, (refs = []))
        condition(s[key])
        path.length = 0
      }
      refs = undefined
      cycle('segment', 'segment')
    }
  }
  const flags = doc.flags
  if (!isObject(flags)) return void expect('an object', flags, 'flags')
  const all = eachFlag(flags, flag)
  prerequisites(flags, all)
  return all
}

/** Checks each entry of `flags` at `flags.<key>` with `check` (keys non-empty); returns the keys, in order. */
const eachFlag = (flags: Obj, check: (entry: unknown, key: string) => void): string[] => {
  const all = names(flags)
  path.push('flags')
  for (let i = 0; i < all.length; i++) {
    const key = all[i] as string
    path.push(key)
    key || expect('a non-empty string', key)
    check(flags[key], key)
    path.pop()
  }
  path.pop()
  return all
}

const SNAPSHOT = keySet('evaluated revision $schema flags')
const ENTRY = keySet('variant value enabled')

/**
 * An evaluated snapshot (`{ evaluated: true, revision, flags: { key: { variant, value, enabled } } }`),
 * held to a config's limits: known keys only, values JSON nested at most MAX_NESTING_DEPTH levels,
 * so nothing a source sends can make a later diff or copy recurse without bound (issue #9).
 */
const snapshotRoot = (doc: unknown): string[] | undefined => {
  if (!obj(doc, SNAPSHOT)) return
  str(doc.revision, 'revision')
  str(doc.$schema, '$schema')
  const flags = doc.flags
  if (!isObject(flags)) return void expect('an object of evaluated flags', flags, 'flags')
  return eachFlag(flags, evaluated)
}
const evaluated = (entry: unknown): void => {
  if (!obj(entry, ENTRY)) return
  name(entry.variant, 'variant')
  own(entry, 'value') ? at('value', json, entry.value) : expect('a JSON value', undefined, 'value')
  entry.enabled === undefined || typeof entry.enabled == 'boolean' || expect('a boolean', entry.enabled, 'enabled')
}

/** Validates `input` with `check`; returns its flag keys, in order, when it is an object. */
const run = (input: unknown, into: FlagstageError[] | undefined, check: (doc: unknown) => string[] | undefined = root): string[] | undefined => {
  collectInto(into)
  try {
    return check(input)
  } finally {
    // Drop every reference to the input, valid or not.
    collectInto(undefined)
    path.length = depth = 0
    graph.clear()
    segments = {}
    variants = ON_OFF
    refs = undefined
  }
}

/** Checks an evaluated snapshot (throws the first problem, a `FlagstageError` with its JSON path). Internal. */
export const checkSnapshot = (input: unknown): void => void run(input, undefined, snapshotRoot)

/** validateConfig for the client: the config and its flag keys (in order, listed once). */
export const checkConfig = (input: unknown): { config: Config; keys: string[] } => ({ config: input as Config, keys: run(input, undefined) as string[] })

/**
 * Check that `input` is a valid flagstage config (DESIGN section 3) and return it, typed; it is neither
 * copied nor changed. Keys are plain data: `__proto__` or `constructor` are ordinary flag, segment,
 * variant and attribute names. Besides the documented fields, the root may carry `$schema`,
 * `description` and `meta` (an object), and a flag a `description`; any other key is an error, so
 * typos like `"vaule"` are caught. `exists` takes no `value` (wrap it in `not` for "must not exist");
 * split weights must sum to 100 (±0.01). Problems are looked for in a fixed order: root fields,
 * segments, flags in key order, then prerequisites and cycles; the first one found is thrown.
 * @throws {FlagstageError} code `INVALID_CONFIG`, `path` of the first problem (like
 * `flags["new-checkout"].rules[2].if.op`) and a message saying what is wrong and what is expected;
 * `details` (`{ expected, got }`) when the value had to be one of a known list (a key, a variant, a
 * segment, a flag, an operator).
 * @example
 * const config = validateConfig(JSON.parse(text))
 */
export const validateConfig = (input: unknown): Config => {
  run(input, undefined)
  return input as Config
}

/**
 * Every problem of `input` as a config, in the order `validateConfig` looks for them (its first one is
 * the one `validateConfig` throws); an empty array when the config is valid. For tools (`flagstage
 * validate`) that list everything at once; a client loads with `validateConfig`, which stops at the first.
 * @example
 * for (const p of configProblems(JSON.parse(text))) console.log(p.path, p.message, p.details?.expected)
 */
export const configProblems = (input: unknown): FlagstageError[] => {
  const found: FlagstageError[] = []
  run(input, found)
  return found
}
