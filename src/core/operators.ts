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

// Process-wide, like the default client (logger.ts): a Symbol.for slot that every copy loaded in the
// process finds, so registering through `import` reaches the clients a `require`d copy creates
// (flagstage/unleash's CJS build, a dependency), and the other way round. Its own small slot, not
// processState(): createClient bundles do not otherwise carry it (about 100 B brotli). Made on first use.
const SLOT = 'flagstage.operators.v1'
let known: Map<string, OptionalOperator> | undefined // every condition's compile asks: no Symbol.for lookup each time
const registry = (): Map<string, OptionalOperator> =>
  (known ??= (globalThis as unknown as Record<symbol, Map<string, OptionalOperator>>)[Symbol.for(SLOT)] ??= new Map())

/**
 * Let configs use opt-in operators in this process: `registerOperators(matchesOperator, inCidrOperator)`, once, before
 * configs load. The registry is process-wide: the ESM and the CJS build (and every
 * installed copy) share it. They are separate imports so that apps which never use them do not ship them
 * (the regex engine is about 1.7 kB brotli, the CIDR parser 0.4 kB). Registering twice is harmless.
 * flagstage/unleash registers both itself; the `flagstage` CLI knows every operator.
 * @example
 * import { createClient, http, matchesOperator, registerOperators } from 'flagstage'
 * registerOperators(matchesOperator)
 * const flags = createClient({ source: http('/flags.json') })
 */
export const registerOperators = (...operators: OptionalOperator[]): void => {
  for (const operator of operators) registry().set(operator.op, operator)
}

/** The registered definition of `op`, or undefined. */
export const registeredOperator = (op: string): OptionalOperator | undefined => registry().get(op)
