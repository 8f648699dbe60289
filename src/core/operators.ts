import type { AttrCondition } from './types.ts'

/**
 * An operator that ships only when an app imports it (`matches`, `inCidr`): how the validator checks
 * its operand and how the evaluator compiles it. Configs may use it once it is registered with
 * `registerOperators`; until then a config that names it is rejected (`OPERATOR_NOT_REGISTERED`).
 */
export interface OptionalOperator {
  /** The `op` it implements. */
  readonly op: 'matches' | 'inCidr'
  /**
   * Checks one operand (`value` for `matches`, each item of `values` for `inCidr`), reporting problems
   * at the validator's current path. Internal: called by validateConfig.
   */
  readonly check: (operand: unknown, ignoreCase: boolean) => unknown
  /** The test of one attribute value (a scalar) against the condition's operand. Internal: called by the evaluator. */
  readonly compile: (condition: AttrCondition, ignoreCase: boolean) => (value: unknown) => boolean
}

const registered = /* @__PURE__ */ new Map<string, OptionalOperator>()

/**
 * Let configs use opt-in operators in this process: `registerOperators(matchesOperator, inCidrOperator)`, once, before
 * configs load. They are separate imports so that apps which never use them do not ship them
 * (the regex engine is about 1.7 kB brotli, the CIDR parser 0.4 kB). Registering twice is harmless.
 * flagstage/unleash registers both itself; the `flagstage` CLI knows every operator.
 * @example
 * import { createClient, http, matchesOperator, registerOperators } from 'flagstage'
 * registerOperators(matchesOperator)
 * const flags = createClient({ source: http('/flags.json') })
 */
export const registerOperators = (...operators: OptionalOperator[]): void => {
  for (const operator of operators) registered.set(operator.op, operator)
}

/** The registered definition of `op`, or undefined. */
export const registeredOperator = (op: string): OptionalOperator | undefined => registered.get(op)
