import type { FlagTypes } from 'flagstage'
import { testInternals, type ForcedFlags, type TestClient } from './create-test-client.ts'

/**
 * Run `fn` with `flags` forced on a test client, then put back what was forced before, even when `fn`
 * throws or its promise rejects. Plain function, no test runner needed; returns what `fn` returns.
 * @example
 * await withFlags(client, { 'new-checkout': true }, async () => {
 *   expect(await renderCheckout(client)).toContain('New checkout')
 * })
 */
export const withFlags = <F extends FlagTypes, T>(client: TestClient<F>, flags: ForcedFlags<F>, fn: () => T): T => {
  const internals = testInternals(client)
  if (!internals) throw new TypeError('flagstage/testing: withFlags needs a client from createTestClient()')
  const before = internals.forced()
  const next = new Map(before)
  for (const key of Object.keys(flags)) next.set(key, (flags as Record<string, unknown>)[key])
  internals.replace(next)
  const restore = (): void => internals.replace(before)
  let result: T
  try {
    result = fn()
  } catch (error) {
    restore()
    throw error
  }
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    return (result as unknown as Promise<unknown>).then(
      (value) => (restore(), value),
      (error: unknown) => {
        restore()
        throw error
      },
    ) as T
  }
  restore()
  return result
}
