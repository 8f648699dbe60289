// Fetch plumbing shared by http() and sse(). Internal: not exported from the package entry.
import { FlagstageError, isFlagstageError } from '../core/errors.ts'
import type { SourceHandle } from '../core/source.ts'

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

/**
 * One request with a deadline. `use` consumes the response and may call `arm()` to restart the
 * deadline (an idle timeout). Every failure is rethrown as a FlagstageError: HTTP_ERROR for a
 * status other than 2xx/304 (with the Response as `cause`), TIMEOUT when the deadline passed,
 * NETWORK_ERROR for anything untyped. The request is always aborted when this settles, and
 * `track` receives its controller so the source can abort it on stop.
 */
export const request = async <T>(
  url: string,
  { fetch: fetcher = fetch, headers }: RequestOptions,
  extra: Record<string, string | undefined>,
  ms: number,
  track: (controller: AbortController) => void,
  use: (res: Response, arm: () => void) => Promise<T>,
): Promise<T> => {
  const controller = new AbortController()
  let timedOut = false
  let deadline: ReturnType<typeof setTimeout> | undefined
  const arm = (): void => {
    clearTimeout(deadline)
    deadline = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, ms)
  }
  track(controller)
  try {
    arm()
    const h = new Headers(typeof headers === 'function' ? await headers() : headers)
    for (const [name, value] of Object.entries(extra)) if (value) h.set(name, value)
    // Called unbound: `{ fetch: window.fetch }.fetch(...)` would throw "Illegal invocation".
    const res = await fetcher(url, { headers: h, signal: controller.signal })
    if (!res.ok && res.status !== 304) {
      throw new FlagstageError('HTTP_ERROR', `${url}: HTTP ${res.status}`, { status: res.status, cause: res })
    }
    return await use(res, arm)
  } catch (error) {
    throw timedOut
      ? new FlagstageError('TIMEOUT', `${url}: no answer in ${ms} ms`, { cause: error })
      : isFlagstageError(error)
        ? error
        : new FlagstageError('NETWORK_ERROR', `${url}: ${(error as Error)?.message}${causeOf(error)}`, { cause: error })
  } finally {
    clearTimeout(deadline)
    controller.abort() // also releases an unread body (errors, early PAYLOAD_TOO_LARGE)
  }
}

/**
 * What `fetch failed` hides: Node's fetch puts the reason in `cause` (`connect ECONNREFUSED
 * 127.0.0.1:8080`, `getaddrinfo ENOTFOUND cdn.example`, `unknown scheme`). Browsers give no more.
 */
const causeOf = (error: unknown): string => {
  // Node's messages name the code; an AggregateError (happy eyeballs) has no message but the code.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  const text = cause?.message || cause?.code
  return text ? ` (${text})` : ''
}

/**
 * With the global `fetch`, a URL it can never fetch (relative where there is no page to resolve it
 * against, as in Node; another scheme than http/https) fails at once and for good, instead of being
 * retried forever: the source's start returns this stop function and reports once, after start
 * returns (unless stopped first). A custom `fetch` decides for itself.
 */
export const badUrl = (url: string, options: RequestOptions, fail: (error: FlagstageError) => void): SourceHandle | undefined => {
  let protocol = ''
  try {
    protocol = new URL(url, (globalThis as { location?: { href?: string } }).location?.href).protocol
  } catch {}
  if (options.fetch || /^https?:$/.test(protocol)) return
  let stopped: unknown
  queueMicrotask(() => stopped || fail(new FlagstageError('SOURCE_ERROR', `${url}: ${protocol ? `unsupported scheme ${protocol}` : 'not an absolute URL'}`)))
  return () => (stopped = 1)
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

/** Bytes of `text` in UTF-8 (a surrogate pair counts 4), without encoding it. */
export const utf8Length = (text: string): number => {
  let n = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c > 0x7f) n += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1
  }
  return n
}

export const tooLarge = (maxBytes: number): FlagstageError =>
  new FlagstageError('PAYLOAD_TOO_LARGE', `More than maxBytes (${maxBytes})`)

/** JSON.parse, failing with PARSE_ERROR. */
export const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (cause) {
    // The classic: a single-page app's fallback answers a wrong flags URL with index.html and a 200.
    const html = /^\s*</.test(text)
    throw new FlagstageError('PARSE_ERROR', html ? `${what}: got HTML, not JSON (wrong URL?)` : `${what}: invalid JSON`, { cause })
  }
}

/** Keep a delay inside setTimeout's range (a longer one would fire at once). */
export const clampDelay = (ms: number): number => Math.min(Math.max(ms, 0), 2_147_483_647)
