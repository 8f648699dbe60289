import { createParser } from 'eventsource-parser'
import type { EventSourceMessage } from 'eventsource-parser'
import { FlagstageError } from '../core/errors.ts'
import { createBackoff } from './backoff.ts'
import { http, WAKE_GRACE_MS } from './http.ts'
import type { HttpOptions } from './http.ts'
import { mergePatch } from './merge-patch.ts'
import { clampDelay, badUrl, parseJson, read, request, tooLarge, utf8Length } from './request.ts'
import type { Source, SourceHandle } from '../core/source.ts'

/**
 * Options of `sse()`. `fetch`, `headers`, `retryBaseMs`, `retryMaxMs` and `random` apply to the
 * stream and to the fallback requests; `timeoutMs`, `jitter`, `authRetryMs` and
 * `pauseWhenHidden` to the fallback requests; `maxBytes` to each event and each fallback body.
 */
export interface SseOptions extends Omit<HttpOptions, 'pollMs'> {
  /** JSON URL polled while the stream is down and fetched after a PATCH_MISMATCH. @default url */
  fallbackUrl?: string
  /** Poll interval of the fallback while the stream is down. @default 30_000 */
  fallbackPollMs?: number
  /** Reconnect when nothing at all (not even a `:` comment) arrives for this long; reported as TIMEOUT. @default 60_000 */
  idleTimeoutMs?: number
}

const revisionOf = (document: unknown): unknown => (document as { revision?: unknown } | null)?.revision

/**
 * Stream configs over server-sent events. An event named `config` (or an unnamed one) carries a
 * whole config; `patch` carries `{ baseRevision, patch }`, an RFC 7396 merge patch applied to the
 * last emitted document if its `revision` is `baseRevision` (otherwise PATCH_MISMATCH is reported
 * and the whole config refetched from `fallbackUrl`). The event `id` is the revision and is sent
 * back as `Last-Event-ID` on reconnect. While the stream is down the source reconnects with
 * backoff (at least the server's `retry:`) and polls `fallbackUrl` as JSON.
 * @example
 * createClient({ source: sse('https://flags.example.com/stream', { fallbackUrl: 'https://cdn.example.com/flags.json' }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function sse(url: string, options: SseOptions = {}): Source {
  return {
    start(emit, fail) {
      const invalid = badUrl(url, options, fail)
      if (invalid) return invalid
      const { fallbackUrl = url, fallbackPollMs = 30_000, idleTimeoutMs = 60_000, maxBytes = 5_242_880 } = options
      const backoff = createBackoff(options)
      let last: unknown
      let lastId: string | undefined
      let serverRetry = 0
      let timer: ReturnType<typeof setTimeout> | undefined
      let current: AbortController | undefined
      let stopped = false
      let polling: SourceHandle | undefined
      let refetching: SourceHandle | undefined
      // When the stream must show a sign of life, or the reconnect timer fire (wake() checks it); which connection is current.
      let due = Infinity
      let generation = 0

      // Whether the stream's event ids are its own (nchan's `1796159991:0`) rather than revisions.
      let foreignIds = false
      const remember = (document: unknown, id?: string): void => {
        const revision = revisionOf(document)
        last = document
        if (id !== undefined) foreignIds = id !== revision
        // A fallback document (no id) stands for its revision, unless the stream numbers its own
        // events: then only the stream's last id resumes it (Last-Event-ID), and nothing is missed.
        lastId = id ?? (typeof revision === 'string' && !foreignIds ? revision : lastId)
      }
      // The fallback reuses http(): same timeouts, size cap, backoff, 304s and error reporting.
      const fetchJson = (pollMs: number, done?: () => void): SourceHandle =>
        http(fallbackUrl, { ...options, pollMs }).start((document, meta) => {
          done?.()
          const ok = emit(document, meta)
          if (ok !== false && !meta?.notModified) remember(document)
          return ok
        }, fail)

      const onEvent = ({ event = 'message', data, id }: EventSourceMessage): void => {
        backoff.reset()
        if (event !== 'config' && event !== 'message' && event !== 'patch') return
        // maxBufferSize only bounds an unfinished event; one that arrived whole is checked here.
        if (utf8Length(data) > maxBytes) throw tooLarge(maxBytes)
        let document: unknown
        try {
          document = parseJson(data, `${url} "${event}" event`)
        } catch (error) {
          return fail(error as FlagstageError)
        }
        if (event === 'patch') {
          const { baseRevision, patch } = (document ?? {}) as { baseRevision?: unknown; patch?: unknown }
          if (baseRevision == null || revisionOf(last) !== baseRevision) {
            fail(new FlagstageError('PATCH_MISMATCH', `Patch for revision ${baseRevision}, have ${revisionOf(last)}: refetching`))
            if (stopped) return // closed by an error listener
            refetching ??= fetchJson(0, () => {
              refetching?.()
              refetching = undefined
            })
            return
          }
          try {
            document = mergePatch(last, patch)
          } catch (error) {
            return fail(error as FlagstageError)
          }
        }
        // The stream is ahead of a refetch still in flight (a JSON URL behind a CDN may even lag).
        refetching?.()
        refetching = undefined
        // Only an accepted document becomes the patch base and the Last-Event-ID (issue #9).
        if (emit(document, id ? { etag: id } : undefined) !== false) remember(document, id)
      }

      const connect = async (): Promise<void> => {
        const mine = ++generation
        due = Date.now() + idleTimeoutMs
        // A new parser per connection: an event cut off by a drop is discarded, never emitted.
        const parser = createParser({
          onEvent,
          onRetry: (ms) => (serverRetry = ms),
          onError: (error) => {
            if (error.type === 'max-buffer-size-exceeded') throw tooLarge(maxBytes)
          },
          maxBufferSize: maxBytes,
        })
        try {
          // fetch, not EventSource: EventSource cannot send headers, use a custom fetch or cap sizes.
          await request(
            url, options, { accept: 'text/event-stream', 'last-event-id': lastId }, idleTimeoutMs, (c) => (current = c),
            async (res, arm) => {
              if (!/^text\/event-stream/.test(res.headers.get('content-type')!)) {
                throw new FlagstageError('SOURCE_ERROR', `${url}: not text/event-stream`)
              }
              polling?.()
              polling = undefined
              // Back with Last-Event-ID: the server sends what we missed, so the last config is current.
              if (last !== undefined) emit(undefined, { notModified: true })
              await read(res, (text) => {
                if (mine !== generation) throw new FlagstageError('NETWORK_ERROR', `${url}: replaced by a new connection`)
                arm() // anything at all, comments included, proves the stream alive
                due = Date.now() + idleTimeoutMs
                parser.feed(text)
              })
              throw new FlagstageError('NETWORK_ERROR', `${url}: stream closed`)
            },
          )
        } catch (error) {
          if (stopped || mine !== generation) return
          fail(error as FlagstageError)
          if (stopped) return // a listener closed the client
        }
        if (mine !== generation) return
        // An error listener may have called close(): start nothing after it (issue #9).
        if (stopped) return
        polling ??= fetchJson(fallbackPollMs)
        const delay = clampDelay(Math.max(serverRetry, backoff.next()))
        due = Date.now() + delay
        timer = setTimeout(connect, delay)
      }

      void connect()
      const stop: SourceHandle = () => {
        stopped = true
        clearTimeout(timer)
        current?.abort()
        polling?.()
        refetching?.()
      }
      // A stream silent past its idle timeout, or a reconnect overdue, means the runtime dropped our timer
      // and connection (workerd closes them with the request that opened them): reconnect now, with Last-Event-ID.
      stop.wake = () => {
        polling?.wake?.()
        refetching?.wake?.()
        if (stopped || Date.now() <= due + WAKE_GRACE_MS) return
        clearTimeout(timer)
        current?.abort()
        void connect()
      }
      return stop
    },
  }
}
