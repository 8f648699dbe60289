import { createClient } from './client.ts'
import type { Client, ClientOptions, FlagTypes, Widen } from './client-types.ts'
import type { Explanation, JsonValue } from './types.ts'
import { processState } from './logger.ts'
import { warnOnce } from './warn.ts'

// Created only by configure(): importing flagstage instantiates nothing. Kept in the process-wide
// slot, so the ESM and the CJS build (say, `import` in the app, `require` in a dependency) share it.
const current = (): Client | undefined => processState().client as Client | undefined

const notConfigured = (key: string): void => {
  try {
    if (process.env.NODE_ENV !== 'production') {
      warnOnce(`"${key}" read before configure(): returning the default. Call configure({ source, context }) at startup.`, undefined, 'configure')
    }
  } catch {}
}

/**
 * Create the default client that `isEnabled`, `variant`, `value` and `explain` read (replacing and
 * closing a previous one), and return it.
 * @example
 * configure({ source: http('/flags.json'), context: { userId } })
 * if (isEnabled('new-checkout')) ...
 */
export const configure = <F extends FlagTypes = FlagTypes>(options: ClientOptions<F> = {}): Client<F> => {
  const state = processState()
  ;(state.client as Client | undefined)?.close()
  const client = createClient<F>(options)
  state.client = client
  return client
}

/** The client `configure()` made, or undefined before it. */
export const getDefaultClient = (): Client | undefined => current()

/** `isEnabled` on the default client; before `configure()`, false (with a one-time warning). Never throws. */
export const isEnabled = (key: string): boolean => {
  const client = current()
  if (client) return client.isEnabled(key)
  notConfigured(key)
  return false
}

/** `variant` on the default client; `{ name: undefined, value: undefined }` before `configure()`. */
export const variant = (key: string): { name: string | undefined; value: JsonValue | undefined } => {
  const client = current()
  if (client) return client.variant(key)
  notConfigured(key)
  return { name: undefined, value: undefined }
}

/** `value` on the default client; `fallback` before `configure()`. */
export const value = <V extends JsonValue>(key: string, fallback: V): Widen<V> => {
  const client = current()
  if (client) return client.value(key, fallback) as Widen<V>
  notConfigured(key)
  return fallback as Widen<V>
}

/** `explain` on the default client (with `fallback`, type-checked as `value()` does). */
export const explain = (key: string, fallback?: JsonValue): Explanation<JsonValue | undefined> => {
  const client = current()
  if (client) return client.explain(key, fallback)
  notConfigured(key)
  return { key, value: null, variant: undefined, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', ruleIndex: -1, bucket: -1, revision: undefined }
}
