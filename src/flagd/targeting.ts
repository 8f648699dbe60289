import { murmur3 } from 'flagstage'
import type { Condition, JsonValue, Rule, SplitServe } from 'flagstage'
import { ALWAYS, MAX_DEPTH, NEVER, condition, deref, operation, type Scope } from './conditions.ts'
import { unsupported, type Path } from './path.ts'

// flagd targeting (JsonLogic that returns a variant name) as flagstage rules, first match wins.
// Every leaf of the `if` tree becomes a rule under the conditions of its path. A leaf that returns
// null (flagd then serves the default variant) serves nothing, so the paths it covers are kept out
// of the rules that follow ("blockers"); so is a `fractional` whose bucketing key is missing.

export interface Targeting {
  rules: Rule[]
  /** Variant names the rules serve, for the caller to check against the flag's variants. */
  served: { name: string; path: Path }[]
}

const all = (parts: Condition[]): Condition => (parts.length === 0 ? ALWAYS : parts.length === 1 ? parts[0]! : { all: parts })
const noUnit = (attr: string): Condition => ({ any: [{ not: { attr, op: 'exists' } }, { attr, op: 'eq', value: '' }] })

export const translateTargeting = (targeting: JsonValue, scope: Scope, version: 'v1' | 'v2', path: Path): Targeting => {
  const rules: Rule[] = []
  const served: Targeting['served'] = []
  const blockers: Condition[] = []
  const guarded = (guard: Condition[]): Condition =>
    all(blockers.length ? [{ not: blockers.length === 1 ? blockers[0]! : { any: [...blockers] } }, ...guard] : guard)

  const leaf = (e: JsonValue, guard: Condition[], at: Path, depth: number): void => {
    if (depth > MAX_DEPTH) unsupported(at, `nested deeper than ${MAX_DEPTH} levels`)
    e = deref(e, scope, at)
    if (e === null) return void blockers.push(all(guard))
    if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') {
      served.push({ name: String(e), path: at })
      return void rules.push({ if: guarded(guard), serve: String(e) })
    }
    const o = operation(e, at)
    if (!o) return unsupported(at, 'expected a variant name, null, "if" or "fractional"')
    const [op, args] = o
    if (op === 'if') {
      const here = [...at, 'if']
      let i = 0
      const negated: Condition[] = []
      for (; i + 1 < args.length; i += 2) {
        const test = condition(args[i]!, scope, [...here, i], depth + 1)
        if (test === NEVER) continue
        leaf(args[i + 1]!, [...guard, ...negated, test], [...here, i + 1], depth + 1)
        if (test === ALWAYS) return
        negated.push({ not: test })
      }
      // The else branch (odd count), or null.
      return leaf(i < args.length ? args[i]! : null, [...guard, ...negated], [...here, i], depth + 1)
    }
    if (op === 'fractional') return fractional(args, guard, [...at, 'fractional'])
    // A bare condition returns true, false or null (flagd's operators answer null on bad input, and
    // `and` / `or` return an operand), read as variant "true", "false" or the default: not translated.
    return unsupported(at, `expected a variant name, null, "if" or "fractional", got the operator "${op}"`)
  }

  const fractional = (args: JsonValue[], guard: Condition[], at: Path): void => {
    let attr = 'targetingKey'
    let prefix = scope.flagKey
    let buckets = args
    let cat = false
    const first = deref(args[0] ?? null, scope, [...at, 0])
    if (!Array.isArray(first)) {
      buckets = args.slice(1)
      const key = bucketKey(first, scope, [...at, 0])
      if ('constant' in key) {
        // Everyone hashes the same text: the variant is known now.
        const pick = choose(buckets, at, version, (w, total) => bucketOf(murmur3(key.constant), total, version, w))
        return pick === null ? void blockers.push(all(guard)) : leaf(pick, guard, at, MAX_DEPTH)
      }
      ;[attr, prefix, cat] = [key.attr, key.prefix, key.cat]
    }
    const split = weights(buckets, at, version)
    if (!split) return void blockers.push(all(guard)) // no weight: flagd returns null for everyone
    if (cat) {
      // `cat` writes a missing value as "null" and keeps "": those units hash a known text, a known variant.
      for (const [text, when] of [[`${prefix}null`, { not: { attr, op: 'exists' } }], [prefix, { attr, op: 'eq', value: '' }]] as const) {
        const pick = choose(buckets, at, version, (_w, total) => bucketOf(murmur3(text), total, version, 0))
        if (pick !== null) leaf(pick, [...guard, when as Condition], at, MAX_DEPTH)
      }
    }
    for (const name of Object.keys(split)) served.push({ name, path: at })
    const total = Object.values(split).reduce((a, b) => a + b, 0)
    const serve: SplitServe = version === 'v2'
      ? { split, by: attr, hash: { prefix, buckets: total, map: 'scale' } }
      : { split, by: attr, hash: { prefix, buckets: 2147483647, map: 'abs' } }
    rules.push({ if: guarded(guard), serve })
    // Without a bucketing key flagd returns null (the default variant): keep those units out of later rules.
    blockers.push(all([...guard, noUnit(attr)]))
  }

  leaf(targeting, [], path, 0)
  return { rules, served }
}

/** flagd's bucketing key: `{ "var": x }`, or `{ "cat": [...text, { "var": x }] }`, or text. */
const bucketKey = (e: JsonValue, scope: Scope, at: Path): { attr: string; prefix: string; cat: boolean } | { constant: string } => {
  if (typeof e === 'string') return { constant: e }
  const o = operation(e, at)
  const parts = o?.[0] === 'cat' ? o[1] : o?.[0] === 'var' ? [e] : undefined
  if (!parts) return unsupported(at, 'the bucketing key must be { "var": name } or { "cat": [text..., { "var": name }] }')
  let prefix = ''
  for (let i = 0; i < parts.length; i++) {
    const p = deref(parts[i]!, scope, [...at, 'cat', i])
    const name = typeof p === 'object' && p !== null && !Array.isArray(p) && typeof p.var === 'string' ? p.var : undefined
    if (name === '$flagd.flagKey') prefix += scope.flagKey
    else if (name !== undefined && i === parts.length - 1 && !name.startsWith('$flagd.')) return { attr: name, prefix, cat: o![0] === 'cat' }
    else if (typeof p === 'string' || typeof p === 'number') prefix += String(p)
    else return unsupported([...at, 'cat', i], 'only text and a final { "var": name } are supported in a bucketing key')
  }
  return { constant: prefix }
}

/** Bucket entries as an ordered split (adjacent duplicates merged, zero weights dropped); undefined when none weighs. */
const weights = (entries: JsonValue[], at: Path, version: 'v1' | 'v2'): Record<string, number> | undefined => {
  const split: Record<string, number> = {}
  const order: string[] = []
  entries.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length === 0 || entry.length > 2) unsupported([...at, i], 'expected ["variant", weight]')
    const [variant, weight = 1] = entry as [JsonValue, JsonValue?]
    if (typeof variant !== 'string' && typeof variant !== 'number' && typeof variant !== 'boolean') {
      unsupported([...at, i, 0], 'a bucket variant must be a name (computed or null variants are not supported)')
    }
    if (typeof weight !== 'number' || (version === 'v2' && !Number.isInteger(weight))) unsupported([...at, i, 1], 'a bucket weight must be an integer')
    const w = Math.max(0, weight as number)
    const name = String(variant)
    if (w === 0) return
    if (order.at(-1) === name) split[name]! += w
    else if (Object.hasOwn(split, name)) unsupported([...at, i], `variant "${name}" appears twice, apart`)
    else {
      split[name] = w
      order.push(name)
    }
  })
  if (Object.keys(split).join('\0') !== order.join('\0')) unsupported(at, 'variant names that look like array indices ("1", "2") reorder in JSON objects')
  return order.length ? split : undefined
}

const bucketOf = (h: number, total: number, version: 'v1' | 'v2', _w: number): number =>
  version === 'v2' ? Number((BigInt(h) * BigInt(total)) >> 32n) : ((h > 0x7fffffff ? 0x100000000 - h : h) / 2147483647) * total

/** The variant a constant bucketing key lands on, as flagd computes it. */
const choose = (entries: JsonValue[], at: Path, version: 'v1' | 'v2', bucket: (w: number, total: number) => number): string | null => {
  const split = weights(entries, at, version)
  if (!split) return null
  const total = Object.values(split).reduce((a, b) => a + b, 0)
  const b = bucket(0, total)
  let sum = 0
  for (const [name, w] of Object.entries(split)) if ((sum += w) > b) return name
  return Object.keys(split).at(-1)!
}
