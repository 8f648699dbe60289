import { compareSemver, parseSemver } from './semver.ts'
import type { AttrCondition, Condition, Context } from './types.ts'

/** A compiled condition. Never throws: a missing or mistyped attribute simply does not match. */
export type Predicate = (context: Context) => boolean

const own = Object.prototype.hasOwnProperty

/** Read an attribute; names that live on Object.prototype (`constructor`, `__proto__` ...) are read as own keys only. */
const reader = (attr: string): ((context: Context) => unknown) =>
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

/** Test one scalar from the context against the compiled operand. */
type Test = (value: unknown) => boolean

const compileTest = (c: AttrCondition): Test => {
  const lower = c.caseInsensitive === true
  const text = asText(c.value, lower) ?? ''
  const compareNumbers = (pass: (a: number, b: number) => boolean): Test => {
    const b = asNumber(c.value)
    return (v) => {
      const a = asNumber(v)
      return a !== undefined && b !== undefined && pass(a, b)
    }
  }
  const compareTimes = (pass: (a: number, b: number) => boolean): Test => {
    const b = asTime(c.value)
    return (v) => {
      const a = asTime(v)
      return a !== undefined && b !== undefined && pass(a, b)
    }
  }
  const compareVersions = (pass: (order: number) => boolean): Test => {
    const b = typeof c.value === 'string' ? parseSemver(c.value) : undefined
    return (v) => {
      const a = typeof v === 'string' ? parseSemver(v) : undefined
      return a !== undefined && b !== undefined && pass(compareSemver(a, b))
    }
  }
  const compareText = (pass: (a: string) => boolean): Test => (v) => {
    const a = asText(v, lower)
    return a !== undefined && pass(a)
  }
  switch (c.op) {
    case 'in':
    case 'notIn': {
      const set = new Set<string>()
      for (const item of c.values ?? []) {
        const t = asText(item, lower)
        if (t !== undefined) set.add(t)
      }
      return compareText((a) => set.has(a))
    }
    case 'eq':
    case 'neq':
      return compareText((a) => a === text)
    case 'contains':
      return compareText((a) => a.includes(text))
    case 'startsWith':
      return compareText((a) => a.startsWith(text))
    case 'endsWith':
      return compareText((a) => a.endsWith(text))
    case 'matches': {
      let re: RegExp | undefined
      try {
        re = new RegExp(String(c.value), lower ? 'i' : '')
      } catch {
        re = undefined // the validator rejects bad patterns; stay safe anyway
      }
      return (v) => typeof v === 'string' && re !== undefined && re.test(v)
    }
    case 'lt': return compareNumbers((a, b) => a < b)
    case 'lte': return compareNumbers((a, b) => a <= b)
    case 'gt': return compareNumbers((a, b) => a > b)
    case 'gte': return compareNumbers((a, b) => a >= b)
    case 'before': return compareTimes((a, b) => a < b)
    case 'after': return compareTimes((a, b) => a > b)
    case 'semverEq': return compareVersions((o) => o === 0)
    case 'semverLt': return compareVersions((o) => o < 0)
    case 'semverLte': return compareVersions((o) => o <= 0)
    case 'semverGt': return compareVersions((o) => o > 0)
    case 'semverGte': return compareVersions((o) => o >= 0)
    default:
      return () => false
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
    const hit = Array.isArray(v) ? v.some(test) : test(v)
    return negate ? !hit && (!Array.isArray(v) || v.length > 0) : hit
  }
}

/**
 * Compile a condition into a predicate. `segment(name)` returns the compiled segment (resolved once,
 * memoised by the caller). Validation has already rejected unknown operators, references and cycles.
 */
export const compileCondition = (condition: Condition, segment: (name: string) => Predicate): Predicate => {
  if ('all' in condition) {
    const parts = condition.all.map((c) => compileCondition(c, segment))
    return (context) => {
      for (let i = 0; i < parts.length; i++) if (!parts[i]!(context)) return false
      return true
    }
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => compileCondition(c, segment))
    return (context) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(context)) return true
      return false
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
