import { http, mapSource } from 'flagstage'
import type { HttpOptions, Source } from 'flagstage'
import { applyEvents, fromUnleash, type UnleashState } from './translate.ts'
import type { UnleashDelta, UnleashFeatures } from './types.ts'

/** Options of `unleash()`: Unleash's client identity, plus every `http()` option (poll interval, timeouts, fetch). */
export interface UnleashOptions extends Omit<HttpOptions, 'headers'> {
  /** Sent as `UNLEASH-APPNAME`. */
  appName: string
  /** Sent as `UNLEASH-INSTANCEID`. @default 'flagstage' */
  instanceId?: string
  /** A client (backend) or Edge token, sent as `Authorization`. */
  token?: string
  /** Poll `/client/delta` and apply its events instead of fetching every feature each time. @default false */
  delta?: boolean
  /** Extra headers (merged under the Unleash ones). */
  headers?: Record<string, string>
  /** Poll interval in ms. @default 15_000 (Unleash's default refresh) */
  pollMs?: number
}

/**
 * A source that polls an Unleash server (or Unleash Edge) with Unleash's client headers and emits
 * flagstage configs translated by `fromUnleash`. `url` is the API base Unleash's SDKs take
 * (`https://unleash.example.com/api`); `/client/features` (or `/client/delta`) is appended unless the
 * URL already ends with it. Polling, ETag / 304, timeouts, backoff and size caps are `http()`'s. With
 * `delta`, each response's events (hydration, feature-updated, feature-removed, segment-updated,
 * segment-removed) are applied to the state kept since the source started.
 * @example
 * createClient({ source: unleash('https://unleash.example.com/api', { appName: 'web', token: process.env.UNLEASH_TOKEN }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function unleash(url: string, options: UnleashOptions): Source {
  const { appName, instanceId = 'flagstage', token, delta = false, headers, pollMs = 15_000, ...rest } = options
  const path = delta ? '/client/delta' : '/client/features'
  const endpoint = /\/client\/(features|delta)\/?(\?.*)?$/.test(url) ? url : `${url.replace(/\/+$/, '')}${path}`
  const send: Record<string, string> = {
    ...headers, 'UNLEASH-APPNAME': appName, 'UNLEASH-INSTANCEID': instanceId, 'UNLEASH-SDK': 'flagstage',
  }
  if (token) send.Authorization = token
  const poll = http(endpoint, { ...rest, pollMs, headers: send })
  return {
    start(emit, fail) {
      // Delta state lives as long as this start: a restarted source hydrates again.
      let state: UnleashState = { features: [], segments: [] }
      return mapSource(poll, (document) => {
        if (!delta || !Array.isArray((document as UnleashDelta)?.events)) return fromUnleash(document as UnleashFeatures)
        state = applyEvents(state, (document as UnleashDelta).events)
        return fromUnleash(state)
      }).start(emit, fail)
    },
  }
}
