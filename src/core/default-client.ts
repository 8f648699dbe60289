import { createClient } from './client.ts'
import type { Client, ClientOptions, FlagTypes, Widen } from './client-types.ts'
import type { Explanation, JsonValue } from './types.ts'
import { warnOnce } from './warn.ts'

// Created only by configure(): importing flagstage instantiates nothing.
let current: Client | undefined

const notConfigured = (key: string): void =>
  warnOnce(`"${key}" read before configure(): returning the default. Call configure({ source, context }) at startup.`, undefined, 'configure')

/**
 * Create the default client that `isEnabled`, `variant`, `value` and `explain` read (replacing and
 * closing a previous one), and return it.
 * @example
 * configure({ source: http('/flags.json'), context: { userId } })
 * if (isEnabled('new-checkout')) ...
 */
export const configure = <F extends FlagTypes = FlagTypes>(options: ClientOptions<F> = {}): Client<F> => {
  current?.close()
  const client = createClient<F>(options)
  current = client as unknown as Client
  return client
}

/** The client `configure()` made, or undefined before it. */
export const getDefaultClient = (): Client | undefined => current

/** `isEnabled` on the default client; before `configure()`, false (with a one-time warning). Never throws. */
export const isEnabled = (key: string): boolean => {
  if (current) return current.isEnabled(key)
  notConfigured(key)
  return false
}

/** `variant` on the default client; `{ name: undefined, value: undefined }` before `configure()`. */
export const variant = (key: string): { name: string | undefined; value: JsonValue | undefined } => {
  if (current) return current.variant(key)
  notConfigured(key)
  return { name: undefined, value: undefined }
}

/** `value` on the default client; `fallback` before `configure()`. */
export const value = <V extends JsonValue>(key: string, fallback: V): Widen<V> => {
  if (current) return current.value(key, fallback) as Widen<V>
  notConfigured(key)
  return fallback as Widen<V>
}

/** `explain` on the default client. */
export const explain = (key: string): Explanation<JsonValue | undefined> => {
  if (current) return current.explain(key)
  notConfigured(key)
  return { key, value: null, variant: undefined, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', ruleIndex: -1, bucket: -1, revision: undefined }
}
