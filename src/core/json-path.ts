/**
 * Wording for problems found in a JSON document: where (the path), what was found, and what was
 * expected. Used to build `FlagstageError` messages; nothing here runs on the evaluation path.
 */

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * Format path segments the way error messages show them: identifier keys as `.key` (no dot at the
 * root), other keys as `["key"]` with JSON string escaping, array indices as `[n]`. The root is `''`.
 * @example
 * formatPath(['flags', 'new-checkout', 'rules', 2, 'if', 'op']) // 'flags["new-checkout"].rules[2].if.op'
 */
export const formatPath = (segments: readonly PathSegment[]): string => {
  let out = ''
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as PathSegment
    if (typeof s === 'number') out += `[${s}]`
    else if (IDENTIFIER.test(s)) out += i === 0 ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out
}

/**
 * Describe a value for a message: strings quoted (cut at 40 characters), `an object`, `an array`
 * (`an empty array`), `null`, `nothing` for undefined.
 * @example
 * `expected true or false, got ${describeValue('yes')}` // 'expected true or false, got "yes"'
 */
export const describeValue = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : 'an array'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  return typeof v === 'object' ? 'an object' : String(v)
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("vaule" → "value" is 1).
const distance = (a: string, b: string): number => {
  const d: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = (d[i] = [i])
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row[j] = j
        continue
      }
      const up = d[i - 1] as number[]
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1)
      }
      row[j] = best
    }
  }
  return (d[a.length] as number[])[b.length] as number
}

/**
 * `(expected one of a, b, c; did you mean "b"?)`: lists up to 20 choices, and suggests the closest one
 * when `got` is a likely typo of it (case-insensitive edit distance up to a third of its length).
 * With no choices at all: `(there are none)`.
 * @example
 * expectedOneOf('vaule', ['attr', 'op', 'value']) // '(expected one of attr, op, value; did you mean "value"?)'
 */
export const expectedOneOf = (got: string, choices: Iterable<string>): string => {
  const all = [...choices]
  let best: string | undefined
  let bestDistance = Math.max(1, Math.floor(got.length / 3)) + 1
  for (const choice of all) {
    const d = distance(got.toLowerCase(), choice.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [choice, d]
  }
  if (all.length === 0) return '(there are none)'
  const shown = all.length > 20 ? `${all.slice(0, 20).join(', ')}, ...` : all.join(', ')
  return `(expected one of ${shown}${best === undefined ? '' : `; did you mean ${JSON.stringify(best)}?`})`
}
