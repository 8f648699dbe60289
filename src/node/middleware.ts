import type { IncomingMessage, ServerResponse } from 'node:http'
import { getDefaultClient } from 'flagstage'
import type { Client, Evaluator } from 'flagstage'
import { bindEmitter, bindRequest, createStore, currentFlags, deferredEvaluator, runWithStore } from './request-context.ts'
import type { RequestStore } from './request-context.ts'
import { resolveContext } from './resolve-context.ts'
import type { ContextFunction } from './resolve-context.ts'

declare module 'http' {
  interface IncomingMessage {
    /**
     * The request's flag evaluator (`client.forContext(context)`), set by `flagsMiddleware()` and
     * `fastifyFlags()` (on `request.flags`). Undefined on requests that did not pass through
     * them: use `flagsOf(req)` where that can happen.
     */
    flags: Evaluator
  }
}

/** Options of `flagsMiddleware()`. */
export interface FlagsMiddlewareOptions<Req extends IncomingMessage = IncomingMessage> {
  /** The client to evaluate with. @default the default client from `configure()`, looked up per request */
  client?: Client
  /** Builds the flag context from the request (may be async). */
  context: ContextFunction<Req>
  /** One config per request: a reload while it runs does not change its answers. `false` follows reloads. @default true */
  pin?: boolean
}

/** A request handler as `node:http` calls it. */
export type RequestListener<Req extends IncomingMessage = IncomingMessage> = (request: Req, response: ServerResponse) => void

/** Connect/Express-style middleware, plus `wrap()` for a plain `node:http` handler. */
export interface FlagsMiddleware<Req extends IncomingMessage = IncomingMessage> {
  (request: Req, response: ServerResponse, next: (error?: unknown) => void): void
  /**
   * Wrap a `node:http` handler: it runs with `req.flags` set and inside the request's context.
   * @example
   * http.createServer(flags.wrap((req, res) => res.end(isEnabled('new-home') ? 'new' : 'old')))
   */
  wrap(handler: (request: Req, response: ServerResponse) => unknown): RequestListener<Req>
}

/**
 * Per-request flags for `node:http`, Express and any Connect-style framework: builds the context
 * with `options.context(req)`, sets `req.flags = client.forContext(context)`, and runs the rest of
 * the request inside `withContext`, so `isEnabled()` from `flagstage/node` works anywhere below
 * the handler without passing anything down. Mount it after body parsers and auth that set what
 * `context` reads. Fastify: `fastifyFlags()`.
 * @example
 * app.use(flagsMiddleware({ client: flags, context: (req) => ({ userId: req.user?.id }) }))
 * app.get('/', (req, res) => res.send(req.flags.isEnabled('new-home') ? 'new' : 'old'))
 */
export const flagsMiddleware = <Req extends IncomingMessage = IncomingMessage>(
  options: FlagsMiddlewareOptions<Req>,
): FlagsMiddleware<Req> => {
  const { client, context, pin = true } = options
  const enter = (request: Req, response: ServerResponse, run: (store: RequestStore) => void): void =>
    resolveContext(context, request, (ctx) => {
      // The default client is resolved per request: configure() may run after the middleware is built.
      const store = createStore(ctx, client ?? getDefaultClient(), pin)
      request.flags = store.evaluator ?? deferredEvaluator(store)
      bindRequest(request, store)
      // Stream events come from the socket, outside this async context (issue #9 item 7).
      bindEmitter(request, store)
      bindEmitter(response, store)
      run(store)
    }, client)
  const middleware = ((request, response, next) => {
    enter(request, response, (store) => runWithStore(store, next))
  }) as FlagsMiddleware<Req>
  middleware.wrap = (handler) => (request, response) => {
    enter(request, response, (store) => runWithStore(store, () => handler(request, response)))
  }
  return middleware
}

/**
 * The flags of a request: `req.flags` when `flagsMiddleware()` / `fastifyFlags()` ran, else the
 * current request's evaluator (`currentFlags()`). Never undefined.
 * @example
 * const flags = flagsOf(req); flags.variant('checkout-button')
 */
export const flagsOf = (request: object): Evaluator =>
  (request as { flags?: Evaluator | null }).flags ?? currentFlags()
