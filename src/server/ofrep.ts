import type { Client, Context } from 'flagstage'
import { corsHeaders, preflight, type CorsOptions } from './cors.ts'
import { cachedJson, PRIVATE_NO_CACHE } from './http-cache.ts'
import { evaluateFlag, readContext, type BadRequest } from './ofrep-evaluation.ts'
import { PROBE_KEY, whenServable } from './ready.ts'
import type { FetchHandler, RequestContextFunction } from './evaluated.ts'

/** An OFREP `eventStreams` entry: an SSE URL that announces changes (`refetchEvaluation` events). */
export interface OfrepEventStream {
  url: string
  /** Seconds of client inactivity after which the client should close the stream. */
  inactivityDelaySec?: number
}

/** Options of `ofrepHandler`. */
export interface OfrepHandlerOptions {
  /** The client whose config is evaluated (its own context is not used). */
  client: Client
  /**
   * Server-side attributes for a request (from a session, a verified token...). They override what
   * the client sent, so a browser cannot claim `plan: 'pro'`. May be async.
   * @example context: async (request) => ({ plan: (await session(request)).plan })
   */
  context?: RequestContextFunction
  /**
   * Decide who may evaluate: `true` lets the request through, `false` or `401` answers 401,
   * `403` answers 403. May be async. @default every request is allowed
   */
  authorize?: (request: Request) => boolean | 401 | 403 | Promise<boolean | 401 | 403>
  /** Path before `/ofrep/v1/...`, e.g. `'/api'`. @default '' */
  prefix?: string
  /**
   * Cross-origin access for browser OFREP providers (preflights included); off by default (same
   * origin only). Allowed methods default to `POST, OPTIONS`, request headers to
   * `Content-Type, Authorization, If-None-Match, X-API-Key`.
   */
  cors?: CorsOptions
  /** An SSE stream that announces changes, advertised in the bulk response's `eventStreams`. */
  eventStream?: string | OfrepEventStream
  /** Larger request bodies get a 400. @default 65536 */
  maxBodyBytes?: number
  /** While the client has no config yet (a cold worker), wait this long for one before answering. @default 1000 */
  readyTimeoutMs?: number
}

const BULK = '/ofrep/v1/evaluate/flags'
const METHODS = 'POST, OPTIONS'

const json = (status: number, body: unknown, headers: Headers = new Headers()): Response => {
  headers.set('content-type', 'application/json; charset=utf-8')
  headers.set('cache-control', PRIVATE_NO_CACHE)
  return new Response(JSON.stringify(body), { status, headers })
}


/** The body as text, or a 400 reason when it is larger than `max` bytes. */
const readBody = async (request: Request, max: number): Promise<string | BadRequest> => {
  const tooLarge: BadRequest = { errorCode: 'PARSE_ERROR', errorDetails: `the request body is larger than ${max} bytes` }
  if (Number(request.headers.get('Content-Length') ?? 0) > max) return tooLarge
  let text: string
  try {
    text = await request.text()
  } catch (error) {
    return { errorCode: 'PARSE_ERROR', errorDetails: `the request body could not be read: ${(error as Error).message}` }
  }
  return new TextEncoder().encode(text).length > max ? tooLarge : text
}

/**
 * A Fetch-API handler (Request → Response) serving the OpenFeature Remote Evaluation Protocol:
 * `POST {prefix}/ofrep/v1/evaluate/flags/{key}` and `POST {prefix}/ofrep/v1/evaluate/flags` (bulk,
 * with an ETag and `304` on `If-None-Match`), with OFREP's shapes and codes: `400` `PARSE_ERROR` /
 * `INVALID_CONTEXT` for a bad body, `404` `FLAG_NOT_FOUND`, `401` / `403` from `authorize`. Any
 * OpenFeature OFREP provider, in any language, gets flags evaluated here without seeing the rules:
 * responses carry values, variants, reasons and metadata (`revision`, `ruleIndex`, `bucket`) only.
 * Runs wherever `Request`/`Response` exist (Node 18+, Next.js route handlers, workers, Deno, Bun);
 * `flagstage/node` adapts it to node:http and Express.
 * @example
 * // Next.js: app/ofrep/v1/evaluate/flags/[[...key]]/route.ts
 * const handler = ofrepHandler({ client: flags, context: async (req) => ({ plan: await planOf(req) }) })
 * export const POST = handler
 */
export const ofrepHandler = (options: OfrepHandlerOptions): FetchHandler => {
  const { client, context, authorize, maxBodyBytes = 65_536, readyTimeoutMs = 1_000 } = options
  const cors: CorsOptions | undefined = options.cors && {
    allowMethods: METHODS, allowHeaders: 'Content-Type, Authorization, If-None-Match, X-API-Key', ...options.cors,
  }
  const prefix = (options.prefix ?? '').replace(/\/+$/, '')
  const stream = typeof options.eventStream === 'string' ? { url: options.eventStream } : options.eventStream
  const eventStreams = stream && [{ type: 'sse', ...stream }]

  const handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname
    const rest = path.startsWith(prefix + BULK) ? path.slice(prefix.length + BULK.length) : undefined
    if (rest === undefined || (rest !== '' && rest !== '/' && !rest.startsWith('/'))) {
      return json(404, { errorDetails: `no OFREP route at ${path}` })
    }
    const bulk = rest === '' || rest === '/'
    const early = cors && preflight(request, cors)
    if (early) return early
    const headers = cors ? corsHeaders(request, cors) : new Headers()
    if (request.method !== 'POST') {
      headers.set('Allow', METHODS)
      return json(405, { errorDetails: `use POST (got ${request.method})` }, headers)
    }
    let key = ''
    if (!bulk) {
      try {
        key = decodeURIComponent(rest.slice(1))
      } catch {
        return json(400, { key: rest.slice(1), errorCode: 'PARSE_ERROR', errorDetails: 'the flag key is not valid percent-encoding' }, headers)
      }
    }
    if (authorize) {
      const verdict = await authorize(request)
      if (verdict !== true) {
        const status = verdict === 403 ? 403 : 401
        return json(status, { errorDetails: status === 403 ? 'forbidden' : 'credentials required' }, headers)
      }
    }
    const text = await readBody(request, maxBodyBytes)
    const read = typeof text === 'string' ? readContext(text) : { error: text }
    if ('error' in read) return json(400, bulk ? read.error : { key, ...read.error }, headers)
    const ctx: Context = context ? { ...read.context, ...(await context(request)) } : read.context
    // A cold start (a worker's first request): give the source a moment before answering "not ready".
    const cold = whenServable(client, readyTimeoutMs)
    if (cold) await cold
    const flags = client.forContext(ctx)

    if (!bulk) {
      const result = evaluateFlag(flags, key)
      if (!('errorCode' in result)) return json(200, result, headers)
      return json(result.errorCode === 'FLAG_NOT_FOUND' ? 404 : 500, result, headers)
    }

    const probe = evaluateFlag(flags, PROBE_KEY)
    if ('errorCode' in probe && probe.errorCode === 'PROVIDER_NOT_READY') {
      return json(500, { errorCode: 'PROVIDER_NOT_READY', errorDetails: probe.errorDetails }, headers)
    }
    // The keys of the config in force (or of the evaluated snapshot a client may serve instead).
    const config = client.getConfig()
    const snapshot = config ? undefined : flags.snapshot()
    const keys = Object.keys(config ? config.flags : snapshot!.flags)
    const revision = config ? config.revision : snapshot!.revision
    const body: Record<string, unknown> = { flags: keys.map((k) => evaluateFlag(flags, k)) }
    if (revision !== undefined) body.metadata = { revision }
    if (eventStreams) body.eventStreams = eventStreams
    // ETag = hash of this body (one per user and config); `If-None-Match` → 304, as OFREP's bulk endpoint asks.
    return cachedJson(request, JSON.stringify(body), { headers, vary: false })
  }

  let warned = false
  return async (request) => {
    try {
      return await handle(request)
    } catch (error) {
      // A throwing `context` or `authorize` hook: the server's fault. Its message stays in the server's log.
      if (!warned) {
        warned = true
        console.warn('[flagstage/server] ofrepHandler: the context or authorize function threw; answering 500 GENERAL', error)
      }
      const headers = cors ? corsHeaders(request, cors) : new Headers()
      return json(500, { errorCode: 'GENERAL', errorDetails: 'the server could not build the evaluation context' }, headers)
    }
  }
}
