import { registeredOperator } from './operators.ts'
import { compareSemver, parseSemver, type Semver } from './semver.ts'
import type { AttrCondition, Condition, Context } from './types.ts'

/** A compiled condition. Never throws: a missing or mistyped attribute simply does not match. */
export type Predicate = (context: Context) => boolean

/**
 * Numbers the evaluations (a top-level `resolve`, a `describeFlag`): a segment's answer is reused
 * within one evaluation of one context, so a lattice of segments that reach one segment by many paths
 * costs one test per segment, not one per path (issue #9). Conditions do not read the clock.
 */
export const evaluation: { id: number } = { id: 0 }

/** `predicate`, answering again for the same context within one evaluation from its last answer. */
export const perEvaluation = (predicate: Predicate): Predicate => {
  let id = -1
  let seen: Context | undefined
  let last = false
  return (context) => {
    if (id !== evaluation.id || seen !== context) {
      last = predicate(context)
      id = evaluation.id
      seen = context
    }
    return last
  }
}

const own = Object.prototype.hasOwnProperty

/** Read an attribute; names that live on Object.prototype (`constructor`, `__proto__` ...) are read as own keys only. */
export const reader = (attr: string): ((context: Context) => unknown) =>
  attr in Object.prototype
    ? (context) => (own.call(context, attr) ? context[attr] : undefined)
    : (context) => context[attr]

/** Scalars compare as strings: `5` and `"5"` are equal, as are `true` and `"true"`. */
const asText = (value: unknown, lower: boolean): string | undefined => {
  const text =
    typeof value === 'string' ? value
      : (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' ? String(value)
        : undefined
  return lower && text !== undefined ? text.toLowerCase() : text
}

const asNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** Dates: epoch milliseconds or any string `Date.parse` reads. */
export const asTime = (value: unknown): number | undefined => {
  const t = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN
  return Number.isFinite(t) ? t : undefined
}

const asVersion = (value: unknown): Semver | undefined => (typeof value === 'string' ? parseSemver(value) : undefined)

type Ordered = [parse: (value: unknown) => unknown, compare: (a: never, b: never) => number, pass: (order: number) => boolean]
const byNumber = (a: number, b: number): number => a - b
const lt = (o: number): boolean => o < 0
const lte = (o: number): boolean => o <= 0
const gt = (o: number): boolean => o > 0
const gte = (o: number): boolean => o >= 0
const eq = (o: number): boolean => o === 0

/** Ordered operators: how to read both sides, how to compare them, which orders pass. */
const ORDERED: Record<string, Ordered> = {
  lt: [asNumber, byNumber, lt], lte: [asNumber, byNumber, lte], gt: [asNumber, byNumber, gt], gte: [asNumber, byNumber, gte],
  before: [asTime, byNumber, lt], after: [asTime, byNumber, gt],
  semverEq: [asVersion, compareSemver, eq], semverLt: [asVersion, compareSemver, lt], semverLte: [asVersion, compareSemver, lte],
  semverGt: [asVersion, compareSemver, gt], semverGte: [asVersion, compareSemver, gte],
}

/** Text operators: (context text, operand text) → match. */
const TEXT: Record<string, (a: string, b: string) => boolean> = {
  eq: (a, b) => a === b, neq: (a, b) => a === b,
  contains: (a, b) => a.includes(b), startsWith: (a, b) => a.startsWith(b), endsWith: (a, b) => a.endsWith(b),
}

/** Test one scalar from the context against the compiled operand. */
const compileTest = (c: AttrCondition): ((value: unknown) => boolean) => {
  const lower = c.caseInsensitive === true
  const ordered = ORDERED[c.op]
  if (ordered) {
    const [parse, compare, pass] = ordered
    const b = parse(c.value)
    return (v) => {
      const a = parse(v)
      return a !== undefined && b !== undefined && pass(compare(a as never, b as never))
    }
  }
  // Opt-in operators (matches, inCidr): the validator rejects them unless registered.
  const extra = registeredOperator(c.op)
  if (extra) return extra.compile(c, lower)
  if (c.op === 'in' || c.op === 'notIn') {
    const set = new Set((c.values ?? []).map((item) => asText(item, lower)))
    return (v) => {
      const a = asText(v, lower)
      return a !== undefined && set.has(a)
    }
  }
  const text = TEXT[c.op]
  const b = asText(c.value, lower) ?? ''
  return (v) => {
    const a = asText(v, lower)
    return a !== undefined && !!text && text(a, b)
  }
}

const compileAttr = (c: AttrCondition): Predicate => {
  const read = reader(c.attr)
  if (c.op === 'exists') return (context) => read(context) != null
  const test = compileTest(c)
  // notIn / neq are the negation of in / eq, but a missing attribute matches neither.
  const negate = c.op === 'notIn' || c.op === 'neq'
  return (context) => {
    const v = read(context)
    if (v == null) return false
    // A list attribute (roles: ['admin', 'dev']) matches when any element does.
    const list = Array.isArray(v)
    const hit = list ? v.some(test) : test(v)
    return negate ? !hit && (!list || v.length > 0) : hit
  }
}

/**
 * Compile a condition into a predicate. `segment(name)` returns the compiled segment (resolved once,
 * memoised by the caller). Validation has already rejected unknown operators, references and cycles.
 */
export const compileCondition = (condition: Condition, segment: (name: string) => Predicate): Predicate => {
  if ('all' in condition || 'any' in condition) {
    const any = 'any' in condition
    const parts = (any ? condition.any : condition.all).map((c) => compileCondition(c, segment))
    return (context) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(context) === any) return any
      return !any
    }
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, segment)
    return (context) => !inner(context)
  }
  if ('segment' in condition) {
    const name = condition.segment
    // Late-bound so segments may be declared in any order.
    let resolved: Predicate | undefined
    return (context) => (resolved ??= segment(name))(context)
  }
  return compileAttr(condition)
}
