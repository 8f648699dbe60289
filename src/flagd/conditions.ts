import type { AttrCondition, Condition, JsonValue } from 'flagstage'
import { unsupported, type Path } from './path.ts'

// JsonLogic conditions (the tests of `if`) as flagstage conditions. JsonLogic is data here: it is
// read, never run; what has no exact native counterpart is refused with its path.

/** Deepest JsonLogic nesting read (after `$ref`s are resolved). */
export const MAX_DEPTH = 32

export const NEVER: Condition = { attr: '$never', op: 'in', values: [] }
export const ALWAYS: Condition = { not: NEVER }

type Obj = { [key: string]: JsonValue }
export interface Scope {
  flagKey: string
  /** Resolves `{ "$ref": name }`. */
  ref: (name: unknown, path: Path) => JsonValue
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
/** The single operator of a JsonLogic object, and its arguments as a list. */
export const operation = (e: JsonValue, path: Path): [string, JsonValue[]] | undefined => {
  if (!isObj(e)) return undefined
  const keys = Object.keys(e)
  if (keys.length !== 1) return unsupported(path, `expected one JsonLogic operator, got ${keys.length ? keys.join(', ') : 'none'}`)
  const op = keys[0]!
  const args = e[op]!
  return [op, Array.isArray(args) ? args : [args]]
}

/** `$ref`s resolved (a chain of them too, up to MAX_DEPTH: a cycle is refused). */
export const deref = (e: JsonValue, scope: Scope, path: Path): JsonValue => {
  for (let i = 0; isObj(e) && Object.keys(e).length === 1 && '$ref' in e; i++) {
    if (i >= MAX_DEPTH) return unsupported(path, '$ref chain too long (a cycle?)')
    e = scope.ref(e.$ref, path)
  }
  return e
}

type Operand = { attr: string } | { literal: JsonValue }
const operand = (e: JsonValue, scope: Scope, path: Path): Operand => {
  e = deref(e, scope, path)
  if (!isObj(e)) return { literal: e }
  if (!('var' in e) || Object.keys(e).length !== 1) return unsupported(path, 'expected a { "var": name } or a literal operand')
  const name = e.var
  if (typeof name !== 'string' || !name) return unsupported(path, 'only { "var": "name" } is supported (no default, no index)')
  if (name === '$flagd.flagKey') return { literal: scope.flagKey }
  if (name.startsWith('$flagd.')) return unsupported(path, `${name} is not supported`)
  return { attr: name }
}

const fold = (hit: boolean): Condition => (hit ? ALWAYS : NEVER)
const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

/** JavaScript reads a missing (null) or empty operand as 0 in `<`: match those too when 0 passes. */
const noValue = (attr: string): Condition => ({ any: [{ not: { attr, op: 'exists' } }, { attr, op: 'eq', value: '' }] })
const NUMERIC: Record<string, [AttrCondition['op'], (a: number, b: number) => boolean, AttrCondition['op']]> = {
  '<': ['lt', (a, b) => a < b, 'gt'], '<=': ['lte', (a, b) => a <= b, 'gte'],
  '>': ['gt', (a, b) => a > b, 'lt'], '>=': ['gte', (a, b) => a >= b, 'lte'],
}
const compareNumber = (attr: string, op: string, n: number, flipped: boolean): Condition => {
  const [native, js, mirror] = NUMERIC[op]!
  const test: Condition = { attr, op: flipped ? mirror : native, value: n }
  return (flipped ? js(n, 0) : js(0, n)) ? { any: [test, noValue(attr)] } : test
}

/**
 * `{ "==": [{ "var": x }, literal] }` as JsonLogic evaluates it (json-logic-engine, as flagd-core
 * uses): a missing attribute reads as null, which loosely equals false, 0 and null; false, 0 and ""
 * loosely equal one another. Other cross-type coercions are not reproduced (README).
 */
const equals = (attr: string, value: JsonValue, strict: boolean, path: Path): Condition => {
  const missing: Condition = { not: { attr, op: 'exists' } }
  const numeric = (n: number): Condition => ({ all: [{ attr, op: 'gte', value: n }, { attr, op: 'lte', value: n }] })
  if (value === null) return strict ? missing : { any: [missing, { attr, op: 'eq', value: false }, numeric(0)] }
  if (!strict && (value === false || value === 0)) return { any: [missing, { attr, op: 'eq', value: false }, numeric(0), { attr, op: 'eq', value: '' }] }
  if (!strict && value === '') return { any: [{ attr, op: 'eq', value: '' }, { attr, op: 'eq', value: false }] }
  if (typeof value === 'number') return numeric(value)
  if (!isScalar(value)) return unsupported(path, 'expected a string, number, boolean or null to compare with')
  return { attr, op: 'eq', value }
}

const SEMVER: Record<string, AttrCondition['op']> = { '=': 'semverEq', '<': 'semverLt', '<=': 'semverLte', '>': 'semverGt', '>=': 'semverGte' }
const MIRROR: Record<string, string> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }

/** flagd's sem_ver reading of a rule version: `v` prefix stripped, `1` and `1.2` completed. */
const version = (v: JsonValue): [number, number, number, string] | undefined => {
  const text = String(v).replace(/^[vV]/, '')
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(text) ?? /^(\d+)(?:\.(\d+))?()()()$/.exec(text)
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] || 0), m[4] ?? ''] : undefined
}

const semver = (args: JsonValue[], scope: Scope, path: Path): Condition => {
  if (args.length !== 3) return NEVER // flagd: null (falsy)
  const a = operand(args[0]!, scope, [...path, 0])
  const b = operand(args[2]!, scope, [...path, 2])
  let op = String((operand(args[1]!, scope, [...path, 1]) as { literal?: JsonValue }).literal)
  let attr: string
  let literal: JsonValue
  if ('attr' in a && 'literal' in b) [attr, literal] = [a.attr, b.literal]
  else if ('literal' in a && 'attr' in b) [attr, literal, op] = [b.attr, a.literal, MIRROR[op] ?? op]
  else return unsupported(path, 'sem_ver needs one { "var" } and one version literal')
  const v = version(literal)
  if (!v) return NEVER
  const [major, minor, patch, pre] = v
  const at = `${major}.${minor}.${patch}${pre}`
  if (SEMVER[op]) return { attr, op: SEMVER[op]!, value: at }
  if (op === '!=') return { any: [{ attr, op: 'semverLt', value: at }, { attr, op: 'semverGt', value: at }] }
  // ^: same major; ~: same major and minor (prereleases included).
  if (op === '^') return { all: [{ attr, op: 'semverGte', value: `${major}.0.0-0` }, { attr, op: 'semverLt', value: `${major + 1}.0.0-0` }] }
  if (op === '~') return { all: [{ attr, op: 'semverGte', value: `${major}.${minor}.0-0` }, { attr, op: 'semverLt', value: `${major}.${minor + 1}.0-0` }] }
  return NEVER
}

/** A JsonLogic expression used as a test (its truthiness), as a flagstage condition. */
export const condition = (e: JsonValue, scope: Scope, path: Path, depth = 0): Condition => {
  if (depth > MAX_DEPTH) return unsupported(path, `nested deeper than ${MAX_DEPTH} levels`)
  e = deref(e, scope, path)
  if (typeof e === 'boolean') return fold(e)
  const o = operation(e, path)
  if (!o) return unsupported(path, 'expected a JsonLogic operation or a boolean as a condition')
  const [op, args] = o
  const at = [...path, op]
  const sub = (x: JsonValue, i: number): Condition => condition(x, scope, [...at, i], depth + 1)
  switch (op) {
    case 'and':
    case 'or': {
      if (args.length === 0) return NEVER
      const parts = args.map(sub)
      return parts.length === 1 ? parts[0]! : op === 'and' ? { all: parts } : { any: parts }
    }
    case '!':
      return { not: sub(args[0] ?? null, 0) }
    case '!!':
      return sub(args[0] ?? null, 0)
    case '==':
    case '===':
    case '!=':
    case '!==': {
      if (args.length !== 2) return unsupported(at, `${op} takes two operands`)
      const [a, b] = [operand(args[0]!, scope, [...at, 0]), operand(args[1]!, scope, [...at, 1])]
      const negate = op[0] === '!'
      let test: Condition
      if ('literal' in a && 'literal' in b) {
        // eslint-disable-next-line eqeqeq -- JsonLogic's own loose equality, folded at translation
        test = fold(op.length === 3 ? a.literal === b.literal : a.literal == b.literal)
      } else if ('attr' in a && 'attr' in b) return unsupported(at, 'comparing two { "var" }s is not supported')
      else {
        const [attr, value] = 'attr' in a ? [a.attr, (b as { literal: JsonValue }).literal] : [(b as { attr: string }).attr, a.literal]
        test = equals(attr, value, op === '===' || op === '!==', at)
      }
      return negate ? { not: test } : test
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const ops = args.map((x, i) => operand(x, scope, [...at, i]))
      if (ops.length === 3 && (op === '<' || op === '<=')) {
        const [lo, x, hi] = ops as [Operand, Operand, Operand]
        if ('literal' in lo && 'literal' in hi && 'attr' in x && typeof lo.literal === 'number' && typeof hi.literal === 'number') {
          return { all: [compareNumber(x.attr, op, lo.literal, true), compareNumber(x.attr, op, hi.literal, false)] }
        }
        return unsupported(at, `${op} with three operands needs number, { "var" }, number`)
      }
      if (ops.length !== 2) return unsupported(at, `${op} takes two operands`)
      const [a, b] = ops as [Operand, Operand]
      if ('attr' in a && 'literal' in b && typeof b.literal === 'number') return compareNumber(a.attr, op, b.literal, false)
      if ('literal' in a && 'attr' in b && typeof a.literal === 'number') return compareNumber(b.attr, op, a.literal, true)
      if ('literal' in a && 'literal' in b) return fold(NUMERIC[op]![1](Number(a.literal), Number(b.literal)))
      return unsupported(at, `${op} compares a { "var" } with a number only`)
    }
    case 'in': {
      if (args.length !== 2) return unsupported(at, 'in takes two operands')
      const needle = operand(args[0]!, scope, [...at, 0])
      const hay = deref(args[1]!, scope, [...at, 1])
      if ('attr' in needle && Array.isArray(hay)) {
        if (!hay.every(isScalar)) return unsupported([...at, 1], 'in: list items must be strings, numbers or booleans')
        return { attr: needle.attr, op: 'in', values: hay }
      }
      const list = operand(hay, scope, [...at, 1])
      if ('literal' in needle && typeof needle.literal === 'string' && 'attr' in list) {
        // JsonLogic's `in` finds nothing in an empty (falsy) text.
        return { all: [{ attr: list.attr, op: 'contains', value: needle.literal }, { not: { attr: list.attr, op: 'eq', value: '' } }] }
      }
      return unsupported(at, 'in: expected [{ "var" }, [list]] or ["text", { "var" }]')
    }
    case 'starts_with':
    case 'ends_with': {
      const a = operand(args[0] ?? null, scope, [...at, 0])
      const b = operand(args[1] ?? null, scope, [...at, 1])
      if (args.length !== 2) return NEVER
      if ('attr' in a && 'literal' in b) return typeof b.literal === 'string' ? { attr: a.attr, op: op === 'starts_with' ? 'startsWith' : 'endsWith', value: b.literal } : NEVER
      return unsupported(at, `${op} needs [{ "var" }, "text"]`)
    }
    case 'sem_ver':
      return semver(args, scope, at)
    default:
      return unsupported(at, `the JsonLogic operator "${op}" is not supported in a condition`)
  }
}
