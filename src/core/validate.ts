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
// `at` is the reference's path, or for prerequisites its index in `requires` (formatted only on error).
interface Edge { to: string; at: PathSegment[] | number }

const OPERATORS = [
  'in', 'notIn', 'eq', 'neq', 'contains', 'startsWith', 'endsWith', 'matches', 'lt', 'lte', 'gt', 'gte',
  'before', 'after', 'semverEq', 'semverLt', 'semverLte', 'semverGt', 'semverGte', 'exists',
]
const KINDS = ['attr', 'segment', 'all', 'any', 'not'] as const
const keys = (...k: string[]): ReadonlySet<string> => new Set(k)
const OPS = keys(...OPERATORS)
const ROOT = keys('$schema', 'schemaVersion', 'revision', 'description', 'meta', 'segments', 'flags')
const FLAG = keys('enabled', 'variants', 'offVariant', 'rules', 'salt', 'schedule', 'requires', 'description')
const RULE = keys('if', 'serve')
const ROLLOUT = keys('rollout', 'variant', 'by', 'salt')
const SPLIT = keys('split', 'by', 'salt')
const SERVE = keys('rollout', 'split', 'variant', 'by', 'salt')
const RAMP = keys('from', 'to', 'start', 'end')
const SCHEDULE = keys('from', 'until')
const PREREQUISITE = keys('flag', 'variant')
const CONDITION = keys(...KINDS, 'op', 'value', 'values', 'caseInsensitive')
const KIND_KEYS: Record<(typeof KINDS)[number], ReadonlySet<string>> = {
  attr: keys('attr', 'op', 'value', 'values', 'caseInsensitive'),
  segment: keys('segment'), all: keys('all'), any: keys('any'), not: keys('not'),
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
const checkKeys = (o: Obj, allowed: ReadonlySet<string>, kind?: string): void => {
  // for-in reuses V8's enum cache (Object.keys copies it); inherited keys are skipped, on the error path only.
  for (const k in o) {
    if (allowed.has(k) || !hasOwn.call(o, k)) continue
    if (kind !== undefined && (KINDS as readonly string[]).includes(k)) {
      fail(`a condition has exactly one kind, found both "${kind}" and "${k}"`)
    }
    fail(`unknown key ${JSON.stringify(k)} ${oneOf(k, allowed)}`, k)
  }
}
const optionalString = (o: Obj, key: string, nonEmpty = false): void => {
  const v = o[key]
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

const attrCondition = (c: Obj): void => {
  const { op, value, values, caseInsensitive: ci } = c
  if (typeof c.attr !== 'string' || c.attr === '') fail(`expected an attribute name, got ${show(c.attr)}`, 'attr')
  if (typeof op !== 'string') return fail(`expected an operator ${oneOf('', OPERATORS)}, got ${show(op)}`, 'op')
  if (!OPS.has(op)) fail(`unknown operator ${show(op)} ${oneOf(op, OPERATORS)}`, 'op')
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
  const kind = c.attr !== undefined ? 'attr' : c.segment !== undefined ? 'segment' : c.all !== undefined ? 'all'
    : c.any !== undefined ? 'any' : c.not !== undefined ? 'not' : undefined
  if (kind === undefined) {
    checkKeys(c, CONDITION)
    return fail('expected a condition: one of attr (with op), segment, all, any or not')
  }
  checkKeys(c, KIND_KEYS[kind], kind)
  if (kind === 'attr') return attrCondition(c)
  const inner = c[kind]
  stack.push(kind)
  if (kind === 'not') condition(inner, depth + 1)
  else if (kind === 'segment') {
    if (typeof inner !== 'string') fail(`expected a segment name, got ${show(inner)}`)
    if (!hasOwn.call(segments, inner)) fail(`unknown segment ${show(inner)} ${oneOf(inner, Object.keys(segments))}`)
    // While segments are checked, stack[1] is the segment being defined: record the edge for cycles.
    segmentEdges?.get(stack[1] as string)?.push({ to: inner, at: stack.slice() })
  } else {
    if (!Array.isArray(inner) || inner.length === 0) fail(`expected a non-empty array of conditions, got ${show(inner)}`)
    for (let i = 0; i < inner.length; i++) {
      stack.push(i)
      condition(inner[i], depth + 1)
      stack.pop()
    }
  }
  stack.pop()
}

const split = (v: unknown): void => {
  stack.push('split')
  const weights = object(v, 'an object of variant weights')
  let sum = 0
  for (const name of Object.keys(weights)) {
    variant(name, name, '')
    const w = weights[name]
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) fail(`expected a weight >= 0, got ${show(w)}`, name)
    sum += w
  }
  if (Math.abs(sum - 100) > 0.01 + 1e-9) fail(`weights sum to ${Math.round(sum * 1e6) / 1e6} (expected 100, ±0.01)`)
  stack.pop()
}
const serve = (v: unknown): void => {
  if (typeof v === 'string') return variant(v, undefined, '')
  const s = object(v, 'a variant name, { "rollout": ... } or { "split": ... }')
  const hasRollout = s.rollout !== undefined
  if (hasRollout === (s.split !== undefined)) {
    checkKeys(s, SERVE)
    fail(hasRollout ? 'a serve has either "rollout" or "split", not both' : 'expected "rollout" or "split"')
  }
  checkKeys(s, hasRollout ? ROLLOUT : SPLIT)
  optionalString(s, 'by', true)
  optionalString(s, 'salt')
  if (!hasRollout) return split(s.split)
  const r = s.rollout
  if (isObject(r)) {
    stack.push('rollout')
    checkKeys(r, RAMP)
    percent(r.from, 'from', false)
    percent(r.to, 'to', false)
    const start = instant(r.start, 'start')
    if (instant(r.end, 'end') <= start) fail('end must be after start', 'end')
    stack.pop()
  } else percent(r, 'rollout', true)
  variant(s.variant, 'variant', 'on')
}
const rule = (r: Obj): void => {
  checkKeys(r, RULE)
  if (r.if !== undefined) {
    stack.push('if')
    condition(r.if, 0)
    stack.pop()
  }
  if (r.serve === undefined) fail('missing (expected a variant name, { "rollout": ... } or { "split": ... })', 'serve')
  stack.push('serve')
  serve(r.serve)
  stack.pop()
}
const prerequisite = (p: Obj): void => {
  checkKeys(p, PREREQUISITE)
  if (typeof p.flag !== 'string' || p.flag === '') fail(`expected a flag key, got ${show(p.flag)}`, 'flag')
  optionalString(p, 'variant')
}
const list = (o: Obj, key: 'rules' | 'requires', each: (item: Obj) => void): void => {
  const items = o[key]
  if (items === undefined) return
  if (!Array.isArray(items)) fail(`expected an array, got ${show(items)}`, key)
  stack.push(key)
  for (let i = 0; i < items.length; i++) {
    stack.push(i)
    each(object(items[i], key === 'rules' ? 'a rule object' : 'a prerequisite object'))
    stack.pop()
  }
  stack.pop()
}

const flag = (v: unknown): void => {
  const f = object(v, 'a flag object')
  checkKeys(f, FLAG)
  if (typeof f.enabled !== 'boolean') fail(`expected true or false, got ${show(f.enabled)}`, 'enabled')
  variants = undefined
  if (f.variants !== undefined) {
    stack.push('variants')
    const vs = object(f.variants, 'an object of variant name to value')
    const names = Object.keys(vs)
    if (names.length === 0) fail('expected at least one variant (omit "variants" for on/off)')
    for (const name of names) {
      stack.push(name)
      json(vs[name], 0)
      stack.pop()
    }
    variants = vs
    stack.pop()
  }
  variant(f.offVariant, 'offVariant', 'off')
  optionalString(f, 'salt')
  optionalString(f, 'description')
  if (f.schedule !== undefined) {
    stack.push('schedule')
    const s = object(f.schedule, 'an object with from and/or until')
    checkKeys(s, SCHEDULE)
    const from = s.from === undefined ? -Infinity : instant(s.from, 'from')
    if (s.until !== undefined && instant(s.until, 'until') <= from) fail('until must be after from', 'until')
    stack.pop()
  }
  list(f, 'rules', rule)
  list(f, 'requires', prerequisite)
  if (f.requires !== undefined) dependents.push(stack[1] as string)
}

// Reports the edge that closes the first cycle met by a depth-first walk in key order.
const findCycle = (edges: Map<string, Edge[]>, what: string): void => {
  const state = new Map<string, 1 | 2>() // 1: on the current walk, 2: done
  const nodes: string[] = []
  const next: number[] = []
  for (const start of edges.keys()) {
    if (state.has(start)) continue
    state.set(start, 1)
    nodes.push(start)
    next.push(0)
    for (let top = 0; top >= 0; top = nodes.length - 1) {
      const from = nodes[top] as string
      const edge = (edges.get(from) as Edge[])[next[top] as number]
      if (edge === undefined) {
        state.set(from, 2)
        nodes.pop()
        next.pop()
        continue
      }
      next[top] = (next[top] as number) + 1
      const seen = state.get(edge.to)
      if (seen === 1) {
        const chain = [...nodes.slice(nodes.indexOf(edge.to)), edge.to].map((k) => JSON.stringify(k)).join(' → ')
        stack.length = 0
        if (typeof edge.at === 'number') stack.push('flags', from, 'requires', edge.at, 'flag')
        else stack.push(...edge.at)
        fail(`${what} cycle: ${chain}`)
      }
      if (seen !== undefined) continue
      if (!edges.has(edge.to)) state.set(edge.to, 2) // a leaf: nothing to walk
      else {
        state.set(edge.to, 1)
        nodes.push(edge.to)
        next.push(0)
      }
    }
  }
}

const prerequisites = (flags: Obj): void => {
  const edges = new Map<string, Edge[]>()
  for (const key of dependents) {
    const requires = (flags[key] as Obj).requires as { flag: string; variant?: string }[]
    const out: Edge[] = []
    for (let i = 0; i < requires.length; i++) {
      const { flag: target, variant: name } = requires[i] as { flag: string; variant?: string }
      stack.length = 0
      stack.push('flags', key, 'requires', i)
      if (!hasOwn.call(flags, target)) fail(`unknown flag ${show(target)} ${oneOf(target, Object.keys(flags))}`, 'flag')
      variants = (flags[target] as Obj).variants as Obj | undefined
      variant(name, 'variant', 'on')
      out.push({ to: target, at: i })
    }
    edges.set(key, out)
  }
  findCycle(edges, 'prerequisite')
}

const check = (input: unknown): Config => {
  const root = object(input, 'the config to be an object')
  checkKeys(root, ROOT)
  if (root.schemaVersion !== 1) fail(`unsupported schemaVersion ${show(root.schemaVersion)} (expected 1)`, 'schemaVersion')
  optionalString(root, 'revision')
  optionalString(root, '$schema')
  optionalString(root, 'description')
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
  findCycle(segmentEdges, 'segment')
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
