// Fetch plumbing shared by http() and sse(): headers, status and body errors. Internal.
import { FlagstageError, isFlagstageError } from '../core/errors.ts'

/** Request headers: an object, or a function (possibly async) called before every request. */
export type HeadersOption =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>)

/** The `fetch` a source calls: the global one by default, or any compatible function. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>

/** Options every fetch-based source takes. */
export interface RequestOptions {
  /** A `fetch` to use instead of the global one (proxies, auth, tests). @default globalThis.fetch */
  fetch?: FetchFunction
  /** Extra request headers, or a function returning them (called per request, so a rotated token is picked up). */
  headers?: HeadersOption
}

/** Make a request. The protocol headers in `extra` (undefined values skipped) win over the user's. */
export const open = async (
  url: string,
  options: RequestOptions,
  extra: Record<string, string | undefined>,
  signal: AbortSignal,
): Promise<Response> => {
  const { fetch: fetcher = fetch, headers } = options
  const h = new Headers(typeof headers === 'function' ? await headers() : headers)
  for (const [name, value] of Object.entries(extra)) if (value) h.set(name, value)
  // Called unbound: `{ fetch: window.fetch }.fetch(...)` would throw "Illegal invocation".
  const res = await fetcher(url, { headers: h, signal })
  if (!res.ok && res.status !== 304) {
    throw new FlagstageError('HTTP_ERROR', `${url} answered HTTP ${res.status}`, { status: res.status, cause: res })
  }
  return res
}

/**
 * Stream a response body as text into `onText`, failing with PAYLOAD_TOO_LARGE as soon as more
 * than `maxBytes` arrive (never buffering an oversized body first).
 */
export const read = async (res: Response, onText: (text: string) => void, maxBytes: number = Infinity): Promise<void> => {
  const reader = res.body?.getReader()
  if (!reader) return onText(await res.text())
  const decoder = new TextDecoder()
  for (let bytes = 0; ; ) {
    const { done, value } = await reader.read()
    if (done) return onText(decoder.decode())
    if ((bytes += value.byteLength) > maxBytes) throw tooLarge(maxBytes)
    onText(decoder.decode(value, { stream: true }))
  }
}

export const tooLarge = (maxBytes: number): FlagstageError =>
  new FlagstageError('PAYLOAD_TOO_LARGE', `Payload larger than maxBytes (${maxBytes})`)

/** JSON.parse, failing with PARSE_ERROR. */
export const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new FlagstageError('PARSE_ERROR', `${what} is not valid JSON`, { cause })
  }
}

/** What a failed request becomes: TIMEOUT when our timer aborted it, NETWORK_ERROR for anything not already typed. */
export const toError = (error: unknown, timedOut: boolean, url: string): FlagstageError =>
  timedOut
    ? new FlagstageError('TIMEOUT', `${url} did not answer in time`, { cause: error })
    : isFlagstageError(error)
      ? error
      : new FlagstageError('NETWORK_ERROR', `${url}: ${(error as Error)?.message}`, { cause: error })

/** Keep a delay inside setTimeout's range (a longer one fires at once). */
export const clampDelay = (ms: number): number => Math.min(Math.max(ms, 0), 2_147_483_647)
