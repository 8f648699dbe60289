import { createBackoff } from './backoff.ts'
import type { BackoffOptions } from './backoff.ts'
import { clampDelay, badUrl, parseJson, read, request, tooLarge } from './request.ts'
import type { RequestOptions } from './request.ts'
import type { FlagstageError } from '../core/errors.ts'
import type { EmitMeta, Source, SourceHandle } from '../core/source.ts'

/** Options of `http()`. */
export interface HttpOptions extends RequestOptions, BackoffOptions {
  /** Poll interval in ms; `0` fetches once (failures are still retried until a response arrives). @default 30_000 */
  pollMs?: number
  /** Spread of the poll interval, as a fraction: 0.1 waits `pollMs` ±10%, so clients do not synchronise. @default 0.1 */
  jitter?: number
  /** Abort a request (headers and body) that takes longer than this; reported as TIMEOUT. @default 10_000 */
  timeoutMs?: number
  /** Largest body accepted, in bytes: checked against Content-Length, then while streaming. @default 5_242_880 */
  maxBytes?: number
  /** Wait after a 401/403 (±jitter): a credential needs a rotation or a human, hammering will not help. @default 300_000 */
  authRetryMs?: number
  /** In browsers, skip polls while the page is hidden and refresh as soon as it is shown again. @default true */
  pauseWhenHidden?: boolean
}

/** How late a timer or request may be before wake() takes it for lost. */
export const WAKE_GRACE_MS = 1_000

// Seconds or an HTTP date; 0 when absent or invalid.
const retryAfter = (value: string | null): number =>
  value ? (Number(value) * 1000 || Date.parse(value) - Date.now()) || 0 : 0

/**
 * Poll a JSON document over HTTP. Sends `If-None-Match` with the last ETag; a 304 is not
 * re-parsed and emits `undefined` with `{ notModified: true }`. Aborts slow requests, caps the
 * payload, and on any failure reports a `FlagstageError` and retries with exponential backoff and
 * full jitter (never sooner than `Retry-After`) until stopped. Any content type is parsed as
 * JSON; a body that does not parse is a PARSE_ERROR naming the content type.
 * @example
 * createClient({ source: http('https://cdn.example.com/flags.json', { pollMs: 60_000 }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function http(url: string, options: HttpOptions = {}): Source {
  return {
    start(emit, fail) {
      const invalid = badUrl(url, options, fail)
      if (invalid) return invalid
      const {
        pollMs = 30_000, jitter = 0.1, timeoutMs = 10_000, maxBytes = 5_242_880, authRetryMs = 300_000,
        pauseWhenHidden = true, random = Math.random,
      } = options
      const backoff = createBackoff(options)
      const page = pauseWhenHidden && typeof document === 'object' ? document : undefined
      const spread = (ms: number): number => ms * (1 + jitter * (2 * random() - 1))
      let etag: string | undefined
      let timer: ReturnType<typeof setTimeout> | undefined
      let current: AbortController | undefined
      let stopped = false
      let missed = false
      // When the pending timer or request must have settled (wake() checks it), and which poll is current.
      let due = Infinity
      let generation = 0

      // A poll that falls due while the page is hidden is skipped, and made up when it shows.
      const tick = (): void => {
        if ((missed = page?.visibilityState === 'hidden')) due = Infinity
        else void poll()
      }
      const onVisibility = (): void => {
        if (missed) tick()
      }

      const poll = async (): Promise<void> => {
        const mine = ++generation
        due = Date.now() + timeoutMs
        let wait: number | undefined = pollMs ? spread(pollMs) : undefined
        let result: [unknown, EmitMeta?] | undefined
        try {
          result = await request(
            url, options, { accept: 'application/json', 'if-none-match': etag }, timeoutMs, (c) => (current = c),
            async (res): Promise<[unknown, EmitMeta?]> => {
              const { headers } = res
              if (res.status === 304) return [undefined, { notModified: true }]
              if (Number(headers.get('content-length')) > maxBytes) throw tooLarge(maxBytes)
              let text = ''
              await read(res, (chunk) => (text += chunk), maxBytes)
              const type = headers.get('content-type')
              const document = parseJson(text, /json/.test(type!) ? url : `${url} (${type})`)
              const tag = headers.get('etag') ?? undefined
              return tag ? [document, { etag: tag }] : [document]
            },
          )
          backoff.reset()
        } catch (caught) {
          if (stopped || mine !== generation) return
          const error = caught as FlagstageError
          const { status } = error
          fail(error)
          wait = Math.max(
            status === 401 || status === 403 ? spread(authRetryMs) : backoff.next(),
            // Never longer than retryMaxMs, whatever the server asks (issue #9).
            Math.min(options.retryMaxMs ?? 60_000, retryAfter(status ? (error.cause as Response).headers.get('retry-after') : null)),
          )
        }
        if (stopped || mine !== generation) return
        due = wait === undefined ? Infinity : Date.now() + wait
        if (wait !== undefined) timer = setTimeout(tick, clampDelay(wait))
        // A document the client rejected never becomes the basis of a 304 (issue #9).
        if (result && emit(...result) !== false && !result[1]?.notModified) etag = result[1]?.etag
        else if (result && !result[1]?.notModified) etag = undefined
      }

      page?.addEventListener('visibilitychange', onVisibility)
      void poll() // the first request goes out even from a hidden page
      const stop: SourceHandle = () => {
        stopped = true
        clearTimeout(timer)
        current?.abort()
        page?.removeEventListener('visibilitychange', onVisibility)
      }
      // A timer or request that should have settled long ago was dropped by the runtime (workerd ends
      // a request's timers and subrequests with it): poll now, and ignore the lost one if it ever returns.
      stop.wake = () => {
        if (stopped || Date.now() <= due + WAKE_GRACE_MS) return
        clearTimeout(timer)
        current?.abort()
        tick()
      }
      return stop
    },
  }
}
