import { formatOverrides, getOverrides, setOverrides, storeOverrides, urlOverrides } from 'flagstage'
import type { Client, FlagTypes } from 'flagstage'

// The devtools change overrides through the client's own mechanism (the `overrides` option, changed at run
// time by core's setOverrides) and remember them where core's urlOverrides() reads them on the next load
// (localStorage `flagstage:overrides`, the `?flagstage=flag:variant` format): one mechanism, not two.

/** On mount: re-apply what an earlier page (or a `?flagstage=` link) left, on top of the client's own. */
export const restoreOverrides = (client: Client): void => {
  const stored = urlOverrides()
  if (Object.keys(stored).length) setOverrides(client, { ...getOverrides(client), ...stored })
}

/** Force `variant` for `key` (undefined: no override) at once, and remember it when `persist`. */
export const applyOverride = (client: Client, key: string, variant: string | undefined, persist: boolean): void => {
  const next = getOverrides(client)
  if (variant === undefined) delete next[key]
  else next[key] = variant
  setOverrides(client, next)
  if (persist) storeOverrides(next)
}

/** "Clear all": no forced variant left on the client, nothing remembered. */
export const clearOverrides = (client: Client, persist: boolean): void => {
  setOverrides(client, {})
  if (persist) storeOverrides({})
}

/** Options of the override cookie (`overrideCookie`, `mountDevtools({ cookie })`). */
export interface OverrideCookieOptions {
  /** @default 'flagstage-overrides' (what `readOverrideCookie` in flagstage/server reads) */
  name?: string
  /** @default '/' */
  path?: string
  /** @default 'Lax' */
  sameSite?: 'Lax' | 'Strict' | 'None'
  /** @default true on https pages */
  secure?: boolean
  /** Lifetime; without it a session cookie. */
  maxAgeSeconds?: number
}

/** The cookie name `readOverrideCookie` reads by default. */
export const OVERRIDE_COOKIE = 'flagstage-overrides'

/**
 * Write forced variants to a cookie (`flag:variant,...`, URI-encoded) so server rendering can read them;
 * `{}` deletes it. The server reads it only where it enables `readOverrideCookie`.
 * @example
 * writeOverrideCookie({ 'new-checkout': 'on' })
 */
export const writeOverrideCookie = (overrides: Readonly<Record<string, string>>, options: OverrideCookieOptions = {}): void => {
  const value = formatOverrides(overrides)
  const parts = [`${options.name ?? OVERRIDE_COOKIE}=${encodeURIComponent(value)}`, `path=${options.path ?? '/'}`, `SameSite=${options.sameSite ?? 'Lax'}`]
  if (!value) parts.push('max-age=0')
  else if (options.maxAgeSeconds !== undefined) parts.push(`max-age=${Math.floor(options.maxAgeSeconds)}`)
  if (options.secure ?? globalThis.location?.protocol === 'https:') parts.push('Secure')
  document.cookie = parts.join('; ')
}

/**
 * Opt-in: keep a cookie in step with the client's forced variants (now and after every change), so the
 * next server render sees the overrides QA chose. Returns a function that stops (the cookie stays).
 * @example
 * const stop = overrideCookie(client)
 */
export const overrideCookie = <F extends FlagTypes>(client: Client<F>, options: OverrideCookieOptions = {}): (() => void) => {
  let last: string | undefined
  const write = (): void => {
    const overrides = getOverrides(client)
    const text = formatOverrides(overrides)
    if (text === last) return
    last = text
    writeOverrideCookie(overrides, options)
  }
  write()
  return client.subscribe(write)
}
