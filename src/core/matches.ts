import type { OptionalOperator } from './operators.ts'
import { compileRegex } from './regex.ts'
import { MAX_REGEX_LENGTH } from './validate.ts'
import { expect, fail } from './validate-walk.ts'

/**
 * The `matches` operator (a regex search, linear time: see regex.ts), opt-in: `registerOperators(matchesOperator)`.
 * @example
 * registerOperators(matchesOperator) // then { "attr": "email", "op": "matches", "value": "@example\\.(com|org)$" } loads
 */
export const matchesOperator: OptionalOperator = {
  op: 'matches',
  check: (v, ignoreCase) => {
    if (!(typeof v == 'string' && v.length <= MAX_REGEX_LENGTH)) return expect(`a regex of at most ${MAX_REGEX_LENGTH} chars`, v)
    // The linear-time subset of regex.ts (issue #9): anything else is rejected here, with its position.
    const test = compileRegex(v, ignoreCase)
    return typeof test == 'string' ? fail(test) : true
  },
  compile: (c, ignoreCase) => {
    const test = compileRegex(String(c.value), ignoreCase)
    return (v) => typeof v === 'string' && typeof test === 'function' && test(v)
  },
}
