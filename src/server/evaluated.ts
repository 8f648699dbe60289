import { getDefaultClient } from 'flagstage'
import type { Client, Context, Evaluator, Snapshot } from 'flagstage'
import { preflight, corsHeaders } from './cors.ts'
import type { CorsOptions } from './cors.ts'
import { cachedJson } from './http-cache.ts'
import { whenServable } from './ready.ts'

/** A Fetch API handler: what Next.js route handlers, workerd, Deno.serve and Bun.serve call. */
export type FetchHandler = (request: Request) => Promise<Response>

/** Builds the flag context of the requesting user from a Web `Request`; may be async (a session lookup). */
export type RequestContextFunction = (request: Request) => Context | Promise<Context>

/** Options of `evaluatedHandler()`. */
export interface EvaluatedHandlerOptions {
  /** The client to evaluate with. @default the default client from `configure()`, looked up per request */
  client?: Client
  /**
   * Builds the requesting user's context. Without it every request is evaluated with an empty
   * context (`client.forContext({})`: the anonymous answer), never with the client's own
   * `context`, which belongs to whoever configured it. A throw or rejection is reported once and
   * the request is served the anonymous answer.
   */
  context?: RequestContextFunction
  /**
   * Advanced: the evaluator to serve for a request, instead of `client` + `context` (adapters
   * pass one they already made, e.g. flagstage/node's `req.flags`).
   */
  evaluator?: (request: Request) => Evaluator | Promise<Evaluator>
  /**
   * `Vary` response header: the request headers the context is built from, so a shared cache that
   * ignores `private` still keeps one entry per user. `false` sends none. @default 'Cookie, Authorization'
   */
  vary?: string | false
  /** `Cache-Control` of the answers. @default 'private, no-cache' */
  cacheControl?: string
  /** Answer browsers on other origins (preflights included). Off by default. */
  cors?: CorsOptions
  /** While the client has no config yet (a cold Worker), wait this long for it before answering. @default 1_000 */
  readyTimeoutMs?: number
}

/**
 * `context` made safe for a handler: a throw or rejection is reported once (per handler) and
 * gives the anonymous answer, an empty context.
 */
export const contextResolver = (context: RequestContextFunction): ((request: Request) => Promise<Context>) => {
  let warned = false
  return async (request) => {
    try {
      return (await context(request)) ?? {}
    } catch (error) {
      if (!warned) {
        warned = true
        console.warn('[flagstage/server] the context function threw; serving the anonymous answer (empty context)', error)
      }
      return {}
    }
  }
}

const EMPTY: Snapshot = { evaluated: true, revision: undefined, flags: {} }
const serveEmpty: Evaluator = {
  isEnabled: () => false,
  variant: () => ({ name: undefined, value: undefined }),
  value: (_key, fallback) => fallback as never,
  explain: (key) => ({ key, value: undefined, variant: undefined, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', ruleIndex: -1, bucket: -1, revision: undefined }),
  snapshot: () => EMPTY,
}

/**
 * A Fetch API handler (Web `Request` → `Response`) that evaluates every flag for the requesting
 * user on the server and answers with the results only: `client.forContext(ctx).snapshot()` as
 * JSON (`{ evaluated: true, revision, flags: { key: { variant, value, enabled } } }`), never rules
 * or segments, so targeting lists with personal data stay on the server. The ETag is a hash of that
 * body (so per context and per config); `If-None-Match` gets a 304. `Cache-Control: private,
 * no-cache`. GET and HEAD (and OPTIONS with `cors`); other methods get 405. No `node:` imports:
 * runs in Node 18+, Next.js route handlers, workerd, Deno and Bun; flagstage/node adapts it to
 * node:http, Express and Fastify.
 *
 * A browser consumes it with core's `http()` source: `createClient({ source: http('/api/flags') })`.
 * @example
 * const handler = evaluatedHandler({ client: flags, context: (request) => ({ userId: request.headers.get('x-user-id') ?? undefined }) })
 * export const GET = (request: Request) => handler(request) // Next.js App Router: app/api/flags/route.ts
 */
export const evaluatedHandler = (options: EvaluatedHandlerOptions = {}): FetchHandler => {
  const { context, evaluator, vary = 'Cookie, Authorization', cacheControl, cors, readyTimeoutMs = 1_000 } = options
  const contextOf = context && contextResolver(context)
  const flagsFor = async (request: Request): Promise<Evaluator> => {
    if (evaluator) return evaluator(request)
    const client = options.client ?? getDefaultClient()
    if (!client) return serveEmpty
    // A cold client (a Worker's first request) gets a moment to load its first config.
    const cold = whenServable(client, readyTimeoutMs)
    if (cold) await cold
    return client.forContext(contextOf ? await contextOf(request) : {})
  }
  const allow = cors ? 'GET, HEAD, OPTIONS' : 'GET, HEAD'
  return async (request) => {
    if (cors) {
      const early = preflight(request, cors)
      if (early) return early
    }
    const headers = cors ? corsHeaders(request, cors) : undefined
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { allow, ...(headers && Object.fromEntries(headers)) } })
    }
    const flags = await flagsFor(request)
    return cachedJson(request, JSON.stringify(flags.snapshot()), {
      vary, ...(cacheControl && { cacheControl }), ...(headers && { headers }),
    })
  }
}
