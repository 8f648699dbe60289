import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getDefaultClient } from 'flagstage'
import type { Client, Evaluator } from 'flagstage'
import { flagsOf } from './middleware.ts'
import { createStore, evaluatorOf } from './request-context.ts'
import { resolveContext } from './resolve-context.ts'
import type { ContextFunction } from './resolve-context.ts'

/** Options of `evaluatedHandler()`. */
export interface EvaluatedHandlerOptions<Req extends IncomingMessage = IncomingMessage> {
  /** The client to evaluate with, together with `context`. @default the default client from `configure()` */
  client?: Client
  /**
   * Builds the context of the requesting user. Without it, the handler serves `req.flags` (set by
   * `flagsMiddleware()` earlier in the chain), else the current request's flags (`currentFlags()`).
   */
  context?: ContextFunction<Req>
  /**
   * `Vary` response header: the request headers the context is built from, so a shared cache that
   * ignores `private` still keeps one entry per user. `false` sends none. @default 'Cookie, Authorization'
   */
  vary?: string | false
}

/** Strong ETag of a body: SHA-1 (change detection, not security), base64url. */
const etagOf = (body: string): string => `"${createHash('sha1').update(body).digest('base64url')}"`

/** If-None-Match matches `etag` (weak comparison, RFC 9110 13.1.2: `W/` prefixes ignored; `*` matches). */
const matches = (header: string | undefined, etag: string): boolean => {
  if (!header) return false
  for (const candidate of header.split(',')) {
    const tag = candidate.trim()
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true
  }
  return false
}

/**
 * An HTTP handler (for `node:http`, and a route handler for Express) that evaluates every flag for
 * the requesting user on the server and answers with the results only: `client.forContext(ctx)
 * .snapshot()` as JSON (`{ evaluated: true, revision, flags: { key: { variant, value, enabled } } }`),
 * never rules or segments, so targeting lists with personal data stay on the server. The ETag is
 * a hash of that body, so it is per context and per config; `If-None-Match` gets a 304.
 * `Cache-Control: private, no-cache`. GET and HEAD; other methods get 405.
 *
 * A browser consumes it with core's `http()` source: `createClient({ source: http('/flags/evaluated') })`
 * (the client serves an evaluated snapshot as it is; its own `context` is not used for it).
 * @example
 * app.get('/flags/evaluated', evaluatedHandler({ client: flags, context: (req) => ({ userId: req.user?.id }) }))
 */
export const evaluatedHandler = <Req extends IncomingMessage = IncomingMessage>(
  options: EvaluatedHandlerOptions<Req> = {},
): ((request: Req, response: ServerResponse) => void) => {
  const { client, context, vary = 'Cookie, Authorization' } = options
  const respond = (request: Req, response: ServerResponse, flags: Evaluator): void => {
    const body = JSON.stringify(flags.snapshot())
    const etag = etagOf(body)
    response.setHeader('Cache-Control', 'private, no-cache')
    response.setHeader('ETag', etag)
    if (vary) response.setHeader('Vary', vary)
    if (matches(request.headers['if-none-match'], etag)) {
      response.writeHead(304).end()
      return
    }
    response.setHeader('Content-Type', 'application/json; charset=utf-8')
    response.setHeader('Content-Length', Buffer.byteLength(body))
    response.writeHead(200).end(request.method === 'HEAD' ? undefined : body)
  }
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    if (!context) {
      respond(request, response, flagsOf(request))
      return
    }
    resolveContext(context, request, (ctx) => {
      respond(request, response, evaluatorOf(createStore(ctx, client ?? getDefaultClient())))
    })
  }
}
