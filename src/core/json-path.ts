/**
 * Wording for problems found in a JSON document: where (the path), what was found, and what was
 * expected. Used to build `FlagstageError` messages; nothing here runs on the evaluation path.
 */

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number

/**
 * Format path segments the way error messages show them: identifier keys as `.key` (no dot at the
 * root), other keys as `["key"]` with JSON string escaping, array indices as `[n]`. The root is `''`.
 * @example
 * formatPath(['flags', 'new-checkout', 'rules', 2, 'if', 'op']) // 'flags["new-checkout"].rules[2].if.op'
 */
export const formatPath = (segments: readonly PathSegment[]): string => {
  let out = ''
  for (const s of segments) {
    out += typeof s == 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? (out ? '.' : '') + s : `[${JSON.stringify(s)}]`
  }
  return out
}

/**
 * Describe a value for a message: strings quoted (cut at 40 characters), `an object`, `an array`
 * (`an empty array`), `null`, `nothing` for undefined.
 * @example
 * `expected true or false, got ${describeValue('yes')}` // 'expected true or false, got "yes"'
 */
export const describeValue = (v: unknown): string =>
  v === undefined ? 'nothing'
    : Array.isArray(v) ? (v.length ? 'an array' : 'an empty array')
      : v && typeof v == 'object' ? 'an object'
        : typeof v == 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)
          : String(v).slice(0, 40)

/**
 * `one of a, b, c`, for "expected one of ...": lists up to 20 choices, or says there are none.
 * @example
 * expectedOneOf(['attr', 'op', 'value']) // 'one of attr, op, value'
 */
export const expectedOneOf = (choices: readonly string[]): string =>
  `one of ${choices.slice(0, 20).join(', ') || '(none)'}${choices.length > 20 ? ', ...' : ''}`
