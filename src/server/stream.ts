import { mergePatchDiff } from 'flagstage'
import type { Client, Config, Context, Snapshot } from 'flagstage'
import { corsHeaders, preflight } from './cors.ts'
import type { CorsOptions } from './cors.ts'
import { contextResolver } from './evaluated.ts'
import type { RequestContextFunction } from './evaluated.ts'
import { etagOf } from './http-cache.ts'
import { whenServable } from './ready.ts'

/** Options of `streamHandler()`. */
export interface StreamHandlerOptions {
  /** The server-side client to follow, whatever its source (file, http, another stream). */
  client: Client
  /**
   * Stream each connection its own evaluated snapshot (`client.forContext(context(request)).snapshot()`),
   * re-evaluated on every change, instead of the config: rules and segments never leave the server.
   * @default false
   */
  evaluated?: boolean
  /** Builds the connection's context in evaluated mode (may be async). @default every connection is anonymous ({}) */
  context?: RequestContextFunction
  /** A `:` comment this often on an idle stream, so proxies and clients know it is alive. @default 15_000 */
  heartbeatMs?: number
  /** The `retry:` sent on connect: how long a client waits before reconnecting. @default 1_000 */
  retryMs?: number
  /** While the client has no config yet (a cold Worker), wait this long before streaming nothing. @default 1_000 */
  readyTimeoutMs?: number
  /** Answer EventSource/fetch clients on other origins (preflights included). Off by default. */
  cors?: CorsOptions
}

/** A Fetch API handler for an SSE endpoint, with `close()` to end every stream it holds. */
export interface StreamHandler {
  (request: Request): Promise<Response>
  /** End every open stream and stop following the client; later requests get 503. */
  close(): void
  /** Open streams right now. */
  readonly connections: number
}

/** What the rules stream serves, built once per change for every connection. */
interface Release {
  config: Config
  /** The event id: the revision (or a hash of the config when it has none usable as an id). */
  id: string
  /** `config` event with the whole document. */
  whole: Uint8Array
  /** `patch` event from `patchFrom` to this release, when it is smaller than `whole`. */
  patch?: Uint8Array
  patchFrom?: string
}

interface Connection {
  controller: ReadableStreamDefaultController<Uint8Array>
  /** Id of the document the client has (its Last-Event-ID on connect). */
  sent: string | undefined
  /** Something changed while the client was not reading: send the latest state when it asks. */
  dirty: boolean
  /** Set while a read waits for data: resolving it ends the `pull`. */
  wake?: (() => void) | undefined
  /** Evaluated mode: the connection's context and the snapshot it has (the base of its next patch). */
  context?: Context
  doc?: Snapshot | undefined
}

const encoder = /* @__PURE__ */ new TextEncoder()
const HEARTBEAT = /* @__PURE__ */ encoder.encode(':\n\n')

/** A string an SSE `id:` line can carry unchanged (no line breaks, no NUL). */
const usableId = (revision: string | undefined): revision is string => !!revision && !/[\r\n\0]/.test(revision)
const idOf = (revision: string | undefined, text: string): string => (usableId(revision) ? revision : `h${etagOf(text).slice(1, -1)}`)
const frame = (event: string, id: string, data: string): Uint8Array => encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`)

/** The smaller of a `patch` event from `from` to `to` and nothing (when a patch cannot express it). */
const patchFrame = (from: { revision?: string | undefined } & object, to: { revision?: string | undefined } & object, id: string, whole: number): Uint8Array | undefined => {
  if (!usableId(from.revision) || !usableId(to.revision) || from.revision === to.revision) return undefined
  const patch = mergePatchDiff(from, to)
  if (patch === undefined) return undefined
  const data = JSON.stringify({ baseRevision: from.revision, patch })
  return data.length < whole ? frame('patch', id, data) : undefined
}

/**
 * A Fetch API handler serving a server-side client's config as server-sent events, in the protocol
 * core's `sse()` source speaks: a `config` event on connect (none when `Last-Event-ID` is already
 * the current revision), then per change a `patch` event (an RFC 7396 merge patch against the
 * previous revision, computed once per change for every connection) or a whole `config` when the
 * patch would be larger; the event id is the revision; `retry:` on connect and `:` heartbeats.
 * With `evaluated: true` each connection gets its own evaluated snapshot for `context(request)`
 * instead, re-evaluated on change. A slow reader never queues: it is sent the latest state when
 * it reads again. Headers turn off proxy buffering (`X-Accel-Buffering: no`, `Cache-Control:
 * no-cache`). Fetch API only: flagstage/node's `toNode()` runs it on node:http and Express.
 * @example
 * const stream = streamHandler({ client: flags })
 * http.createServer(toNode(stream)) // browsers: createClient({ source: sse('/flags/stream') })
 */
export const streamHandler = (options: StreamHandlerOptions): StreamHandler => {
  const { client, evaluated = false, heartbeatMs = 15_000, retryMs = 1_000, readyTimeoutMs = 1_000, cors } = options
  const contextOf = options.context && contextResolver(options.context)
  const open = new Set<Connection>()
  let release: Release | undefined
  let closed = false
  let heartbeat: ReturnType<typeof setInterval> | undefined

  const follow = (): void => {
    const config = client.getConfig()
    if (!config) return // an evaluated snapshot: nothing to stream in rules mode
    const previous = release
    if (previous?.config === config) return
    const text = JSON.stringify(config)
    const id = idOf(config.revision, text)
    const whole = frame('config', id, text)
    const patch = previous && patchFrame(previous.config, config, id, text.length)
    release = { config, id, whole, ...(patch && { patch, patchFrom: previous.id }) }
  }

  /** Enqueue what `conn` lacks; false when it already has the latest state. */
  const write = (conn: Connection): boolean => {
    if (!evaluated) {
      if (!release || conn.sent === release.id) return false
      conn.controller.enqueue(release.patch && conn.sent === release.patchFrom ? release.patch : release.whole)
      conn.sent = release.id
      return true
    }
    const snapshot = client.forContext(conn.context ?? {}).snapshot()
    if (snapshot.revision === undefined && !Object.keys(snapshot.flags).length) return false // nothing loaded yet
    const text = JSON.stringify(snapshot)
    // An id per answer (revision + a hash of the snapshot): a reconnect for another context, or
    // after a change only the clock made, does not match it and gets the snapshot again.
    const hash = etagOf(text).slice(1, -1)
    const id = usableId(snapshot.revision) ? `${snapshot.revision}~${hash.slice(0, 8)}` : `h${hash}`
    if (conn.sent === id) return false
    conn.controller.enqueue((conn.doc && patchFrame(conn.doc, snapshot, id, text.length)) || frame('config', id, text))
    conn.sent = id
    conn.doc = snapshot
    return true
  }

  const push = (conn: Connection, chunk?: Uint8Array): void => {
    const wake = conn.wake
    if (!wake) {
      if (!chunk) conn.dirty = true // not reading: it gets the latest state at its next read
      return
    }
    if (chunk) conn.controller.enqueue(chunk)
    else if (!write(conn)) return
    conn.wake = undefined
    wake()
  }

  const drop = (conn: Connection): void => {
    if (!open.delete(conn)) return
    conn.wake?.()
    conn.wake = undefined
    if (!open.size && heartbeat !== undefined) {
      clearInterval(heartbeat)
      heartbeat = undefined
    }
  }

  // Rules mode streams configs. Evaluated mode streams answers, which the clock moves too (a schedule
  // boundary, a ramp step): the client's subscribers hear every change of evaluations, clock-made ones included.
  // A status-only notice (an error, a 304 poll) cannot move an answer, so it costs no connection a snapshot.
  const unsubscribe = evaluated
    ? client.subscribe((evaluations) => {
        if (evaluations) for (const conn of open) push(conn)
      })
    : client.on('config', () => {
        follow()
        for (const conn of open) push(conn)
      })
  follow()

  const respond = async (request: Request): Promise<Response> => {
    const early = cors && preflight(request, cors)
    if (early) return early
    const headers = cors ? corsHeaders(request, cors) : new Headers()
    if (request.method !== 'GET') {
      headers.set('allow', cors ? 'GET, OPTIONS' : 'GET')
      return new Response(null, { status: 405, headers })
    }
    if (closed) return new Response(null, { status: 503, headers })
    const cold = whenServable(client, readyTimeoutMs)
    if (cold) await cold
    if (!evaluated) follow()
    const context = evaluated && contextOf ? await contextOf(request) : undefined
    if (closed) return new Response(null, { status: 503, headers })

    let conn: Connection
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          conn = { controller, sent: request.headers.get('last-event-id') ?? undefined, dirty: true, ...(context && { context }) }
          open.add(conn)
          controller.enqueue(encoder.encode(`retry: ${retryMs}\n\n`))
          if (heartbeatMs > 0 && heartbeat === undefined) {
            heartbeat = setInterval(() => {
              for (const c of open) push(c, HEARTBEAT)
            }, heartbeatMs)
            ;(heartbeat as { unref?: () => void }).unref?.()
          }
        },
        pull() {
          if (!open.has(conn)) return
          if (conn.dirty) {
            conn.dirty = false
            if (write(conn)) return
          }
          return new Promise<void>((resolve) => (conn.wake = resolve))
        },
        cancel() {
          drop(conn)
        },
      },
      // Nothing waits in the stream's queue: data is made when the reader asks for it, so a slow
      // connection holds at most the chunk its socket is writing, never a backlog of releases.
      { highWaterMark: 0 },
    )
    request.signal.addEventListener('abort', () => drop(conn), { once: true })
    headers.set('content-type', 'text/event-stream; charset=utf-8')
    headers.set('cache-control', 'no-cache, no-transform')
    headers.set('x-accel-buffering', 'no')
    return new Response(body, { status: 200, headers })
  }

  const handler = respond as StreamHandler
  Object.defineProperty(handler, 'connections', { get: () => open.size })
  handler.close = () => {
    if (closed) return
    closed = true
    unsubscribe()
    for (const conn of [...open]) {
      drop(conn)
      try {
        conn.controller.close()
      } catch {
        // already cancelled by its reader
      }
    }
  }
  return handler
}
