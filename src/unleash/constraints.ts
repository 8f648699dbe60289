import type { AttrCondition, Condition } from 'flagstage'
import { NEVER, accepts } from './probe.ts'
import { rewriteRe2 } from './regex.ts'
import type { UnleashConstraint } from './types.ts'

// Unleash's constraint operators as flagstage conditions. Unleash reads a field as a string (a
// top-level context field, else `properties[field]`; toContext() flattens both), and a constraint
// that cannot be evaluated (unknown operator, bad regex or number) is false, then `inverted`.

// semver.valid(), without a `v` prefix: what Unleash's SEMVER_* accept from the context.
const STRICT_SEMVER =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(\\.(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$'

const SEMVER_OPS: Record<string, AttrCondition['op']> = {
  SEMVER_EQ: 'semverEq', SEMVER_LT: 'semverLt', SEMVER_GT: 'semverGt', SEMVER_LTE: 'semverLte', SEMVER_GTE: 'semverGte',
}
const NUM_OPS: Record<string, AttrCondition['op']> = { NUM_GT: 'gt', NUM_GTE: 'gte', NUM_LT: 'lt', NUM_LTE: 'lte' }
const STR_OPS: Record<string, AttrCondition['op']> = {
  STR_CONTAINS: 'contains', STR_STARTS_WITH: 'startsWith', STR_ENDS_WITH: 'endsWith',
}

/** Unleash drops empty values and trims the others. */
const clean = (values: unknown): string[] =>
  Array.isArray(values) ? values.filter((v): v is string => !!v && typeof v === 'string').map((v) => v.trim()) : []

const anyOf = (parts: Condition[]): Condition => (parts.length === 0 ? NEVER : parts.length === 1 ? parts[0]! : { any: parts })

const positive = (c: UnleashConstraint): Condition => {
  const attr = c.contextName
  const op = c.operator
  if (typeof attr !== 'string' || !attr) return NEVER
  if (op === 'IN' || op === 'NOT_IN') return { attr, op: 'in', values: clean(c.values) }
  const str = STR_OPS[op]
  if (str) {
    const caseInsensitive = c.caseInsensitive === true
    return anyOf(clean(c.values).map((value) => (caseInsensitive ? { attr, op: str, value, caseInsensitive } : { attr, op: str, value })))
  }
  if (op === 'NUM_EQ' || NUM_OPS[op]) {
    const value = Number(c.value)
    if (!Number.isFinite(value)) return NEVER
    return op === 'NUM_EQ' ? { all: [{ attr, op: 'gte', value }, { attr, op: 'lte', value }] } : { attr, op: NUM_OPS[op]!, value }
  }
  if (op === 'DATE_AFTER' || op === 'DATE_BEFORE') {
    // Unleash compares `currentTime` (the time of evaluation unless the context sets it) whatever contextName says.
    const value = Date.parse(String(c.value))
    return Number.isFinite(value) ? { attr: 'currentTime', op: op === 'DATE_AFTER' ? 'after' : 'before', value } : NEVER
  }
  const semver = SEMVER_OPS[op]
  if (semver) {
    const value = String(c.value ?? '')
    const compare: Condition = { attr, op: semver, value }
    if (!new RegExp(STRICT_SEMVER).test(value) || !accepts(compare)) return NEVER
    return { all: [{ attr, op: 'matches', value: STRICT_SEMVER }, compare] }
  }
  if (op === 'REGEX') {
    if (typeof c.value !== 'string') return NEVER
    const { pattern, caseInsensitive, invalid } = rewriteRe2(c.value, c.caseInsensitive === true)
    if (invalid) return NEVER
    const condition: Condition = caseInsensitive ? { attr, op: 'matches', value: pattern, caseInsensitive } : { attr, op: 'matches', value: pattern }
    return accepts(condition) ? condition : NEVER
  }
  if (op === 'IN_CIDR') {
    const values = clean(c.values).filter((v) => accepts({ attr, op: 'inCidr', values: [v] }))
    return { attr, op: 'inCidr', values }
  }
  return NEVER
}

const EVALUABLE = new Set([
  'IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE',
  'DATE_AFTER', 'DATE_BEFORE', 'SEMVER_EQ', 'SEMVER_LT', 'SEMVER_GT', 'SEMVER_LTE', 'SEMVER_GTE', 'REGEX', 'IN_CIDR',
])

/** One Unleash constraint as a flagstage condition. */
export const constraintCondition = (c: UnleashConstraint): Condition => {
  // An unknown operator is false even when inverted: Unleash's SDKs return before applying `inverted`.
  if (!c || !EVALUABLE.has(c.operator)) return NEVER
  const condition = positive(c)
  return (c.operator === 'NOT_IN') !== (c.inverted === true) ? { not: condition } : condition
}
