import type { Client, Evaluator, FlagTypes, ForContextOptions } from './client-types.ts'
import { hostOf } from './client-host.ts'
import { contextEvaluator, type EvaluationHost } from './evaluator.ts'
import type { Context } from './types.ts'

// Run-time access to a client's forced variants (the `overrides` option). Functions beside the client,
// not methods on it, for the reason describeFlag is one (client-host.ts): apps that never change overrides
// at run time (every production bundle) don't ship them. Devtools and servers are the callers (issue #13).

/** Entries whose key and variant are non-empty strings. */
const entries = (overrides: Readonly<Record<string, string | null | undefined>>): [string, string][] =>
  Object.entries(overrides).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '' && e[0] !== '')

/**
 * The variants a client forces (its `overrides` option, as changed by `setOverrides`), as a new object.
 * @example
 * getOverrides(client) // { 'new-checkout': 'on' }
 */
export const getOverrides = <F extends FlagTypes>(client: Client<F>): Record<string, string> =>
  Object.fromEntries(hostOf(client)?.host.overrides ?? [])

/**
 * Replace the variants a client forces, at run time (the `overrides` option, which it replaces whole):
 * the client's own reads and its `forContext` evaluators serve them at once, `change` fires for the
 * flags whose answer moved and `subscribe` listeners (React) re-render. A variant the flag does not
 * have is ignored, as in the option. `{}` clears them. For QA tools (`flagstage/devtools`).
 * @example
 * setOverrides(client, { ...getOverrides(client), 'new-checkout': 'on' })
 */
export const setOverrides = <F extends FlagTypes>(client: Client<F>, overrides: Readonly<Record<string, string | null | undefined>>): void => {
  const map = hostOf(client)?.host.overrides
  if (!map) return
  map.clear()
  for (const [key, variant] of entries(overrides)) map.set(key, variant)
  // The same context again: the client re-announces (`change` for the keys that moved, subscribers, timers)
  // without a method of its own.
  client.setContext(client.getContext())
}

/**
 * `client.forContext(context)` with more forced variants on top of the client's own, for one
 * evaluator only (servers: a request whose override cookie you trust, see `readOverrideCookie`).
 * The client is not changed.
 * @example
 * const flags = withOverrides(client, { userId: 'qa-1' }, { 'new-checkout': 'on' })
 */
export const withOverrides = <F extends FlagTypes>(
  client: Client<F>, context: Context, overrides: Readonly<Record<string, string | null | undefined>>, options?: ForContextOptions,
): Evaluator<F> => {
  const evaluator = client.forContext(context, options) // also wakes a dormant source
  const extra = entries(overrides)
  const host = hostOf(client)?.host
  if (!host || !extra.length) return evaluator
  // Delegates to the client's host (its live store, clock, pins, impressions); only the overrides differ.
  const own: EvaluationHost = Object.create(host, { overrides: { value: new Map([...host.overrides, ...extra]) } }) as EvaluationHost
  return contextEvaluator<F>(own, context, options?.pin !== false)
}
