import { ErrorCode, FlagstageError } from './errors.ts'
import { describeValue as show, expectedOneOf as oneOf, formatPath } from './json-path.ts'
import type { PathSegment } from './json-path.ts'
import { parseSemver } from './semver.ts'
import type { Config } from './types.ts'

/** Longest `matches` pattern accepted, in UTF-16 code units (bounds regex compile and backtracking cost). */
export const MAX_REGEX_LENGTH: number = 256
/** Deepest nesting accepted for conditions (`all` / `any` / `not`) and for variant values. */
export const MAX_NESTING_DEPTH: number = 32

type Obj = Record<string, unknown>
/** A segment reference inside a segment, with its path (for the cycle check). */
interface Edge { to: string; at: PathSegment[] }
type Prerequisites = { flag: string; variant?: string }[]

const OPERATORS = [
  'in', 'notIn', 'eq', 'neq', 'contains', 'startsWith', 'endsWith', 'matches', 'lt', 'lte', 'gt', 'gte',
  'before', 'after', 'semverEq', 'semverLt', 'semverLte', 'semverGt', 'semverGte', 'exists',
]
const KINDS = ['attr', 'segment', 'all', 'any', 'not']
const keys = (...k: string[]): ReadonlySet<string> => new Set(k)
const OPS = keys(...OPERATORS)
const ROOT = keys('$schema', 'schemaVersion', 'revision', 'description', 'meta', 'segments', 'flags')
const FLAG = keys('enabled', 'variants', 'offVariant', 'rules', 'salt', 'schedule', 'requires', 'description')
const RULE = keys('if', 'serve')
const SERVE = keys('rollout', 'split', 'variant', 'by', 'salt')
const RAMP = keys('from', 'to', 'start', 'end')
const SCHEDULE = keys('from', 'until')
const PREREQUISITE = keys('flag', 'variant')
const ATTR = keys('attr', 'op', 'value', 'values', 'caseInsensitive')
const KIND_KEYS: Record<string, ReadonlySet<string>> = {
  '': keys(...KINDS, 'op', 'value', 'values', 'caseInsensitive'), attr: ATTR,
  segment: keys('segment'), all: keys('all'), any: keys('any'), not: keys('not'),
  rollout: keys('rollout', 'variant', 'by', 'salt'), split: keys('split', 'by', 'salt'),
}
// An ISO 8601 date (UTC midnight), or a date-time with a zone: a zone-less time would read differently
// on every client's clock. Fractions up to nanoseconds, as RFC 3339 tools write them.
const INSTANT =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/

const hasOwn = Object.prototype.hasOwnProperty
// Validation is synchronous and not re-entrant, so one path stack is shared; it is formatted only on error.
const stack: PathSegment[] = []
let segments: Obj = {}
let segmentEdges: Map<string, Edge[]> | undefined
let variants: Obj | undefined
let dependents: string[] = [] // flags with `requires`, checked once all flags are known

// Typed as a const with an annotation so that TypeScript narrows after `if (...) fail(...)`.
const fail: (message: string, key?: PathSegment) => never = (message, key) => {
  if (key !== undefined) stack.push(key)
  throw new FlagstageError(ErrorCode.INVALID_CONFIG, message, { path: formatPath(stack) })
}
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const object = (v: unknown, what: string): Obj => (isObject(v) ? v : fail(`expected ${what}, got ${show(v)}`))
// Objects are read in one for-in pass (V8's enum cache, no lookups of absent keys) that only notes an
// unexpected own key; this reports the first one, in key order. `kind` names a condition's kind.
const badKey = (o: Obj, allowed: ReadonlySet<string>, kind?: string): void => {
  for (const k in o) {
    if (allowed.has(k) || !hasOwn.call(o, k)) continue
    if (kind !== undefined && KINDS.includes(k)) fail(`a condition has exactly one kind, found both "${kind}" and "${k}"`)
    fail(`unknown key ${JSON.stringify(k)} ${oneOf(k, allowed)}`, k)
  }
}
const string = (v: unknown, key: string, nonEmpty = false): void => {
  if (v !== undefined && (typeof v !== 'string' || (nonEmpty && v === ''))) {
    fail(`expected a${nonEmpty ? ' non-empty' : ''} string, got ${show(v)}`, key)
  }
}
const scalar = (v: unknown, key: PathSegment): void => {
  if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
    fail(`expected a string, number or boolean, got ${show(v)}`, key)
  }
}
const digits = (s: string, at: number, n: number): number => {
  let x = 0
  for (let i = at; i < at + n; i++) x = x * 10 + s.charCodeAt(i) - 48
  return x
}
const instant = (v: unknown, key: string): number => {
  let ms = Number.NaN
  if (typeof v === 'string' && INSTANT.test(v)) {
    // Date.parse rolls 2026-02-30 over to March, so check the day of the month first.
    const year = digits(v, 0, 4)
    const month = digits(v, 5, 2)
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
    if (digits(v, 8, 2) <= days) ms = Date.parse(v)
  }
  if (Number.isNaN(ms)) fail(`expected an ISO 8601 date, or a date-time with a zone like "2026-12-01T09:00:00Z", got ${show(v)}`, key)
  return ms
}
const percent = (v: unknown, key: string, twoDecimals: boolean): void => {
  if (typeof v !== 'number' || !(v >= 0 && v <= 100)) fail(`expected a percentage from 0 to 100, got ${show(v)}`, key)
  const hundredths = v * 100 // 1.1 * 100 is 110.00000000000001, hence the tolerance
  if (twoDecimals && Math.abs(hundredths - Math.round(hundredths)) > 1e-6) {
    fail(`${v} has more than two decimals (expected steps of 0.01, like 12.5 or 33.33)`, key)
  }
}
const variant = (v: unknown, key: PathSegment | undefined, fallback: string): void => {
  const name = v === undefined ? fallback : v
  if (typeof name !== 'string') return fail(`expected a variant name, got ${show(v)}`, key)
  if (variants === undefined ? name === 'on' || name === 'off' : hasOwn.call(variants, name)) return
  const problem = v === undefined ? `missing, and the default "${fallback}" is not a variant` : `unknown variant ${show(v)}`
  fail(`${problem} ${oneOf(name, variants === undefined ? ['on', 'off'] : Object.keys(variants))}`, key)
}
const json = (v: unknown, depth: number): void => {
  if (typeof v === 'number' && !Number.isFinite(v)) fail(`expected a finite number, got ${v}`)
  if (typeof v !== 'object' || v === null) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      fail(`expected a JSON value, got ${typeof v}`)
    }
    return
  }
  if (depth >= MAX_NESTING_DEPTH) fail(`nested deeper than ${MAX_NESTING_DEPTH} levels`)
  const items: Obj | unknown[] = v as Obj
  for (const k of Array.isArray(items) ? items.keys() : Object.keys(items)) {
    stack.push(k)
    json((items as Obj)[k], depth + 1)
    stack.pop()
  }
}

const operand = (op: string, value: unknown, values: unknown, ci: unknown): void => {
  if (ci !== undefined && typeof ci !== 'boolean') fail(`expected true or false, got ${show(ci)}`, 'caseInsensitive')
  if (op === 'in' || op === 'notIn') {
    if (value !== undefined) fail(`${op} takes "values" (an array), not "value"`, 'value')
    if (!Array.isArray(values)) return fail(`${op} needs "values": an array of strings, numbers or booleans, got ${show(values)}`, 'values')
    stack.push('values')
    for (let i = 0; i < values.length; i++) scalar(values[i], i)
    return void stack.pop()
  }
  if (values !== undefined) fail(`${op} takes one "value", not "values"`, 'values')
  if (op === 'exists') {
    if (value !== undefined) fail('exists takes no value (for "must not exist", wrap it in { "not": ... })', 'value')
    return
  }
  if (value === undefined) fail(`${op} needs a "value"`, 'value')
  switch (op) {
    case 'lt': case 'lte': case 'gt': case 'gte':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${op} compares numbers: expected a finite number, got ${show(value)}`, 'value')
      return
    case 'before': case 'after':
      if (typeof value !== 'number' || !Number.isFinite(value)) instant(value, 'value')
      return
    case 'semverEq': case 'semverLt': case 'semverLte': case 'semverGt': case 'semverGte':
      if (typeof value !== 'string' || parseSemver(value) === undefined) fail(`expected a version like "1.2.3", got ${show(value)}`, 'value')
      return
    case 'matches':
      if (typeof value !== 'string') return fail(`expected a regular expression string, got ${show(value)}`, 'value')
      if (value.length > MAX_REGEX_LENGTH) fail(`regex is ${value.length} characters long (expected at most ${MAX_REGEX_LENGTH})`, 'value')
      try {
        new RegExp(value, ci === true ? 'i' : '')
      } catch (error) {
        fail(`regex does not compile: ${(error as Error).message}`, 'value')
      }
      return
    default:
      scalar(value, 'value')
  }
}

const condition = (v: unknown, depth: number): void => {
  if (depth >= MAX_NESTING_DEPTH) fail(`conditions nested deeper than ${MAX_NESTING_DEPTH} levels`)
  const c = object(v, 'a condition (attr + op, segment, all, any or not)')
  let attr: unknown, op: unknown, value: unknown, values: unknown, ci: unknown
  let ref: unknown, all: unknown, any: unknown, not: unknown
  let extra = false
  for (const k in c) {
    const x = c[k]
    switch (k) {
      case 'attr': attr = x; break
      case 'op': op = x; break
      case 'value': value = x; break
      case 'values': values = x; break
      case 'caseInsensitive': ci = x; break
      case 'segment': ref = x; break
      case 'all': all = x; break
      case 'any': any = x; break
      case 'not': not = x; break
      default: extra ||= hasOwn.call(c, k)
    }
  }
  const kind = attr !== undefined ? 'attr' : ref !== undefined ? 'segment' : all !== undefined ? 'all'
    : any !== undefined ? 'any' : not !== undefined ? 'not' : ''
  const kinds = +(attr !== undefined) + +(ref !== undefined) + +(all !== undefined) + +(any !== undefined) + +(not !== undefined)
  const attrKeys = op !== undefined || value !== undefined || values !== undefined || ci !== undefined
  if (extra || kinds > 1 || (attrKeys && kind !== 'attr')) badKey(c, KIND_KEYS[kind] as ReadonlySet<string>, kind || undefined)
  if (kind === '') fail('expected a condition: one of attr (with op), segment, all, any or not')
  if (kind === 'attr') {
    if (typeof attr !== 'string' || attr === '') fail(`expected an attribute name, got ${show(attr)}`, 'attr')
    if (typeof op !== 'string') return fail(`${op === undefined ? 'missing' : `got ${show(op)}`} ${oneOf('', OPERATORS)}`, 'op')
    if (!OPS.has(op)) fail(`unknown operator ${show(op)} ${oneOf(op, OPERATORS)}`, 'op')
    return operand(op, value, values, ci)
  }
  stack.push(kind)
  if (kind === 'not') condition(not, depth + 1)
  else if (kind === 'segment') {
    if (typeof ref !== 'string') fail(`expected a segment name, got ${show(ref)}`)
    if (!hasOwn.call(segments, ref)) fail(`unknown segment ${show(ref)} ${oneOf(ref, Object.keys(segments))}`)
    // While segments are checked, stack[1] is the segment being defined: record the edge for cycles.
    segmentEdges?.get(stack[1] as string)?.push({ to: ref, at: stack.slice() })
  } else {
    const list = kind === 'all' ? all : any
    if (!Array.isArray(list) || list.length === 0) fail(`expected a non-empty array of conditions, got ${show(list)}`)
    for (let i = 0; i < list.length; i++) {
      stack.push(i)
      condition(list[i], depth + 1)
      stack.pop()
    }
  }
  stack.pop()
}

const split = (v: unknown): void => {
  stack.push('split')
  const weights = object(v, 'an object of variant weights')
  let sum = 0
  let n = 0
  for (const name in weights) {
    if (!hasOwn.call(weights, name)) continue
    variant(name, name, '')
    const w = weights[name]
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) fail(`expected a weight >= 0, got ${show(w)}`, name)
    sum += w
    n++
  }
  if (n === 0) fail('expected at least one variant weight')
  // 33.33 * 3 sums to 99.99000000000001 in floating point: allow for that beyond the 0.01 tolerance.
  if (Math.abs(sum - 100) > 0.01 + 1e-9) fail(`weights sum to ${Math.round(sum * 1e6) / 1e6} (expected 100, ±0.01)`)
  stack.pop()
}
const serve = (v: unknown): void => {
  if (typeof v === 'string') return variant(v, undefined, '')
  const s = object(v, 'a variant name, { "rollout": ... } or { "split": ... }')
  let rollout: unknown, weights: unknown, name: unknown, by: unknown, salt: unknown
  let extra = false
  for (const k in s) {
    const x = s[k]
    switch (k) {
      case 'rollout': rollout = x; break
      case 'split': weights = x; break
      case 'variant': name = x; break
      case 'by': by = x; break
      case 'salt': salt = x; break
      default: extra ||= hasOwn.call(s, k)
    }
  }
  const hasRollout = rollout !== undefined
  if (hasRollout === (weights !== undefined)) {
    if (extra) badKey(s, SERVE)
    fail(hasRollout ? 'a serve has either "rollout" or "split", not both' : 'expected "rollout" or "split"')
  }
  if (extra || (!hasRollout && name !== undefined)) badKey(s, KIND_KEYS[hasRollout ? 'rollout' : 'split'] as ReadonlySet<string>)
  string(by, 'by', true)
  string(salt, 'salt')
  if (!hasRollout) return split(weights)
  if (isObject(rollout)) {
    stack.push('rollout')
    const r = rollout
    for (const k in r) if (!RAMP.has(k) && hasOwn.call(r, k)) badKey(r, RAMP)
    percent(r.from, 'from', false)
    percent(r.to, 'to', false)
    const start = instant(r.start, 'start')
    if (instant(r.end, 'end') <= start) fail('end must be after start', 'end')
    stack.pop()
  } else percent(rollout, 'rollout', true)
  variant(name, 'variant', 'on')
}
const rule = (v: unknown): void => {
  const r = object(v, 'a rule object')
  let when: unknown, then: unknown
  for (const k in r) {
    if (k === 'serve') then = r[k]
    else if (k === 'if') when = r[k]
    else if (hasOwn.call(r, k)) badKey(r, RULE)
  }
  if (when !== undefined) {
    stack.push('if')
    condition(when, 0)
    stack.pop()
  }
  if (then === undefined) fail('missing (expected a variant name, { "rollout": ... } or { "split": ... })', 'serve')
  stack.push('serve')
  serve(then)
  stack.pop()
}
const prerequisite = (v: unknown): void => {
  const p = object(v, 'a prerequisite object')
  for (const k in p) if (!PREREQUISITE.has(k) && hasOwn.call(p, k)) badKey(p, PREREQUISITE)
  if (typeof p.flag !== 'string' || p.flag === '') fail(`expected a flag key, got ${show(p.flag)}`, 'flag')
  string(p.variant, 'variant')
}
const list = (items: unknown, key: string, each: (item: unknown) => void): void => {
  if (!Array.isArray(items)) fail(`expected an array, got ${show(items)}`, key)
  stack.push(key)
  for (let i = 0; i < items.length; i++) {
    stack.push(i)
    each(items[i])
    stack.pop()
  }
  stack.pop()
}

const flag = (v: unknown): void => {
  const f = object(v, 'a flag object')
  let enabled: unknown, vs: unknown, off: unknown, rules: unknown
  let salt: unknown, schedule: unknown, requires: unknown, description: unknown
  let extra = false
  for (const k in f) {
    const x = f[k]
    switch (k) {
      case 'enabled': enabled = x; break
      case 'variants': vs = x; break
      case 'offVariant': off = x; break
      case 'rules': rules = x; break
      case 'salt': salt = x; break
      case 'schedule': schedule = x; break
      case 'requires': requires = x; break
      case 'description': description = x; break
      default: extra ||= hasOwn.call(f, k)
    }
  }
  if (extra) badKey(f, FLAG)
  if (typeof enabled !== 'boolean') fail(`expected true or false, got ${show(enabled)}`, 'enabled')
  variants = undefined
  if (vs !== undefined) {
    stack.push('variants')
    const o = object(vs, 'an object of variant name to value')
    let n = 0
    for (const name in o) {
      if (!hasOwn.call(o, name)) continue
      stack.push(name)
      json(o[name], 0)
      stack.pop()
      n++
    }
    if (n === 0) fail('expected at least one variant (omit "variants" for on/off)')
    variants = o
    stack.pop()
  }
  if (off !== undefined || variants !== undefined) variant(off, 'offVariant', 'off')
  string(salt, 'salt')
  string(description, 'description')
  if (schedule !== undefined) {
    stack.push('schedule')
    const s = object(schedule, 'an object with from and/or until')
    for (const k in s) if (!SCHEDULE.has(k) && hasOwn.call(s, k)) badKey(s, SCHEDULE)
    const from = s.from === undefined ? -Infinity : instant(s.from, 'from')
    if (s.until !== undefined && instant(s.until, 'until') <= from) fail('until must be after from', 'until')
    stack.pop()
  }
  if (rules !== undefined) list(rules, 'rules', rule)
  if (requires !== undefined) {
    list(requires, 'requires', prerequisite)
    dependents.push(stack[1] as string)
  }
}

// Walks the graph depth-first from each node in key order; `out(node, i)` is the node's i-th reference
// and `at(node, i)` its path. Reports the reference that closes the first cycle met.
const findCycle = (
  nodes: Iterable<string>,
  out: (node: string, i: number) => string | undefined,
  at: (node: string, i: number) => PathSegment[],
  what: string,
): void => {
  const state = new Map<string, 1 | 2>() // 1: on the current walk, 2: done
  const walk: string[] = []
  const next: number[] = []
  for (const start of nodes) {
    if (state.has(start)) continue
    state.set(start, 1)
    walk.push(start)
    next.push(0)
    while (walk.length > 0) {
      const top = walk.length - 1
      const from = walk[top] as string
      const i = next[top] as number
      const to = out(from, i)
      if (to === undefined) {
        state.set(from, 2)
        walk.pop()
        next.pop()
        continue
      }
      next[top] = i + 1
      const seen = state.get(to)
      if (seen === 1) {
        const chain = [...walk.slice(walk.indexOf(to)), to].map((k) => JSON.stringify(k)).join(' → ')
        stack.length = 0
        stack.push(...at(from, i))
        fail(`${what} cycle: ${chain}`)
      }
      if (seen === undefined) {
        state.set(to, 1)
        walk.push(to)
        next.push(0)
      }
    }
  }
}

// Once every flag is known: prerequisites name existing flags and variants, and form no cycle.
const prerequisites = (flags: Obj): void => {
  for (const key of dependents) {
    const requires = (flags[key] as Obj).requires as Prerequisites
    for (let i = 0; i < requires.length; i++) {
      const { flag: target, variant: name } = requires[i] as Prerequisites[number]
      stack.length = 0
      stack.push('flags', key, 'requires', i)
      if (!hasOwn.call(flags, target)) fail(`unknown flag ${show(target)} ${oneOf(target, Object.keys(flags))}`, 'flag')
      variants = (flags[target] as Obj).variants as Obj | undefined
      variant(name, 'variant', 'on')
    }
  }
  findCycle(
    dependents,
    (key, i) => ((flags[key] as Obj).requires as Prerequisites | undefined)?.[i]?.flag,
    (key, i) => ['flags', key, 'requires', i, 'flag'],
    'prerequisite',
  )
}

const check = (input: unknown): Config => {
  const root = object(input, 'the config to be an object')
  for (const k in root) if (!ROOT.has(k) && hasOwn.call(root, k)) badKey(root, ROOT)
  const version = root.schemaVersion
  if (version !== 1) fail(`${version === undefined ? 'missing' : `unsupported schemaVersion ${show(version)}`} (expected 1)`, 'schemaVersion')
  string(root.revision, 'revision')
  string(root.$schema, '$schema')
  string(root.description, 'description')
  if (root.meta !== undefined && !isObject(root.meta)) fail(`expected an object, got ${show(root.meta)}`, 'meta')
  stack.push('segments')
  segments = root.segments === undefined ? {} : object(root.segments, 'an object of segment name to condition')
  segmentEdges = new Map()
  for (const key of Object.keys(segments)) {
    if (key === '') fail('expected a non-empty segment name', key)
    segmentEdges.set(key, [])
    stack.push(key)
    condition(segments[key], 0)
    stack.pop()
  }
  const edges = segmentEdges
  findCycle(edges.keys(), (key, i) => edges.get(key)?.[i]?.to, (key, i) => (edges.get(key) as Edge[])[i]?.at ?? [], 'segment')
  segmentEdges = undefined
  stack.length = 0
  stack.push('flags')
  if (root.flags === undefined) fail('missing (expected an object of flag key to flag)')
  const flags = object(root.flags, 'an object of flag key to flag')
  for (const key of Object.keys(flags)) {
    if (key === '') fail('expected a non-empty flag key', key)
    stack.push(key)
    flag(flags[key])
    stack.pop()
  }
  prerequisites(flags)
  return root as unknown as Config
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
    return check(input)
  } finally {
    // Drop every reference to the input, valid or not.
    stack.length = 0
    segments = {}
    segmentEdges = undefined
    variants = undefined
    dependents = []
  }
}
