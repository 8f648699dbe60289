import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

/** A Fetch API handler, as `flagstage/server` makes them. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/** A `node:http` listener that is also an Express/Connect handler (errors go to `next` when given). */
export type NodeHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void

/** Options of `toNode()`. */
export interface ToNodeOptions {
  /**
   * Build the request URL from `X-Forwarded-Proto` / `X-Forwarded-Host` (behind a proxy you trust).
   * @default false
   */
  trustProxy?: boolean
}

const originals = /* @__PURE__ */ new WeakMap<Request, IncomingMessage>()

/** The node request a `Request` was made from by `toNode()` / `toNodeRequest()`, if any. */
export const nodeRequestOf = (request: Request): IncomingMessage | undefined => originals.get(request)

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined

/** What a framework's body parser left (Express `req.body`, Fastify `request.body`) as a fetch body. */
const parsedBody = (body: unknown): BodyInit | undefined =>
  body === undefined || body === null ? undefined
    : typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit)
      : JSON.stringify(body)

/**
 * A Web `Request` for a node request: URL (from `Host`, or `X-Forwarded-*` with `trustProxy`),
 * method, headers (repeated ones kept), and the body as a stream, or, when a body parser already
 * read it, what the parser left (`body`, else `req.body`; objects are sent as JSON). Its signal
 * aborts when the client goes away before the response is finished.
 */
export const toNodeRequest = (
  req: IncomingMessage, res?: ServerResponse, options: ToNodeOptions & { body?: unknown } = {},
): Request => {
  const encrypted = (req.socket as { encrypted?: boolean } | null)?.encrypted
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http')
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost'
  const path = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/'
  const headers = new Headers()
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) if (!raw[i]!.startsWith(':')) headers.append(raw[i]!, raw[i + 1]!)
  const method = req.method ?? 'GET'
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = options.body ?? (req as { body?: unknown }).body
    if (parsed !== undefined || req.readableEnded) init.body = parsedBody(parsed) ?? null
    else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>
      init.duplex = 'half'
    }
  }
  if (res) {
    const controller = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    init.signal = controller.signal
  }
  const request = new Request(new URL(path, `${proto}://${host}`), init)
  originals.set(request, req)
  return request
}

/**
 * Write a `Response` to a node response: status, headers (each `Set-Cookie` apart), then the body
 * chunk by chunk as it comes (headers are flushed first when no `Content-Length` is known, so a
 * server-sent event stream reaches the client at once), honouring backpressure. A client that
 * disconnects cancels the body stream. Resolves when the response is finished or abandoned.
 */
export const sendResponse = async (res: ServerResponse, response: Response, method = 'GET'): Promise<void> => {
  res.statusCode = response.status
  if (response.statusText) res.statusMessage = response.statusText
  const cookies = (response.headers as Headers & { getSetCookie?: () => string[] }).getSetCookie?.() ?? []
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') {
      if (!cookies.length) res.appendHeader('set-cookie', value)
    } else res.setHeader(name, value)
  })
  if (cookies.length) res.setHeader('set-cookie', cookies)
  const body = response.body
  if (!body || method === 'HEAD' || response.status === 204 || response.status === 304) {
    void body?.cancel().catch(() => {})
    res.end()
    return
  }
  if (!response.headers.has('content-length')) res.flushHeaders()
  const reader = body.getReader()
  let gone = false
  const onClose = (): void => {
    gone = true
    reader.cancel().catch(() => {})
  }
  res.once('close', onClose)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done || gone) break
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = (): void => {
            res.off('drain', go)
            res.off('close', go)
            resolve()
          }
          res.once('drain', go)
          res.once('close', go)
        })
      }
    }
    if (!gone) res.end()
  } catch (error) {
    if (!gone) res.destroy(error as Error)
  } finally {
    res.off('close', onClose)
  }
}

/**
 * Run a Fetch API handler (`flagstage/server`'s, or any `(Request) => Response`) on node:http:
 * the result is a `(req, res)` listener for `http.createServer`, and a route handler for Express
 * and Connect (`(req, res, next)`: errors go to `next`). Fastify: `toFastify()`. Bodies stream in
 * both directions; a client disconnect aborts `request.signal` and cancels a streaming response.
 * @example
 * http.createServer(toNode(evaluatedHandler({ client: flags, context })))
 * app.get('/api/flags', toNode(evaluatedHandler({ client: flags, context })))
 */
export const toNode = (handler: FetchHandler, options: ToNodeOptions = {}): NodeHandler => (req, res, next) => {
  const run = async (): Promise<void> => {
    const request = toNodeRequest(req, res, options)
    await sendResponse(res, await handler(request), req.method)
  }
  run().catch((error: unknown) => {
    if (next) return next(error)
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error')
    else res.destroy(error as Error)
  })
}

/** The part of a Fastify request and reply `toFastify()` uses (Fastify's own types are not required). */
export interface FastifyRouteRequestLike { raw: IncomingMessage; body?: unknown }
export interface FastifyReplyLike { raw: ServerResponse; hijack(): unknown }

/**
 * A Fastify route handler running a Fetch API handler: takes over the raw response
 * (`reply.hijack()`) and uses the body Fastify already parsed.
 * @example
 * app.get('/api/flags', toFastify(evaluatedHandler({ client: flags, context })))
 */
export const toFastify = (
  handler: FetchHandler, options: ToNodeOptions = {},
): ((request: FastifyRouteRequestLike, reply: FastifyReplyLike) => Promise<void>) =>
  async (request, reply) => {
    reply.hijack()
    const req = request.raw
    const res = reply.raw
    try {
      const fetchRequest = toNodeRequest(req, res, { ...options, body: request.body })
      await sendResponse(res, await handler(fetchRequest), req.method)
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy(error as Error)
    }
  }
