import type { IncomingMessage, ServerResponse } from 'node:http'
import { getDefaultClient } from 'flagstage'
import type { Client, Evaluator } from 'flagstage'
import { evaluatedHandler as fetchEvaluatedHandler } from 'flagstage/server'
import type { CorsOptions } from 'flagstage/server'
import { createStore, evaluatorOf, requestFlags } from './request-context.ts'
import { resolveContext } from './resolve-context.ts'
import type { ContextFunction } from './resolve-context.ts'
import { nodeRequestOf, toNode } from './to-node.ts'

/** Options of `evaluatedHandler()` from `flagstage/node`. */
export interface EvaluatedHandlerOptions<Req extends IncomingMessage = IncomingMessage> {
  /** The client to evaluate with, together with `context`. @default the default client from `configure()` */
  client?: Client
  /**
   * Builds the context of the requesting user from the node request. Without it, the handler
   * serves the request's context set by `flagsMiddleware()` / `fastifyFlags()` / `withContext`
   * earlier in the chain (`req.flags`), evaluated with `client` when one is given; with no request
   * context at all, an empty context (the anonymous answer), never a client's own `context`.
   */
  context?: ContextFunction<Req>
  /**
   * `Vary` response header: the request headers the context is built from, so a shared cache that
   * ignores `private` still keeps one entry per user. `false` sends none. @default 'Cookie, Authorization'
   */
  vary?: string | false
  /** Answer browsers on other origins (preflights included). Off by default. */
  cors?: CorsOptions
}

/**
 * `flagstage/server`'s `evaluatedHandler` on node:http (and as an Express route handler, through
 * `toNode()`): evaluates every flag for the requesting user and answers with the results only
 * (`{ evaluated: true, revision, flags }`), never rules or segments; a strong ETag per context and
 * config, 304 on `If-None-Match`, `Cache-Control: private, no-cache`. GET and HEAD; others get 405.
 *
 * A browser consumes it with core's `http()` source: `createClient({ source: http('/flags/evaluated') })`.
 * @example
 * app.get('/flags/evaluated', evaluatedHandler({ client: flags, context: (req) => ({ userId: req.user?.id }) }))
 */
export const evaluatedHandler = <Req extends IncomingMessage = IncomingMessage>(
  options: EvaluatedHandlerOptions<Req> = {},
): ((request: Req, response: ServerResponse) => void) => {
  const { client, context, vary, cors } = options
  const evaluator = (request: Request): Evaluator | Promise<Evaluator> => {
    const req = nodeRequestOf(request) as Req
    if (!context) return requestFlags(req, client)
    return new Promise((resolve) => {
      resolveContext(context, req, (ctx) => resolve(evaluatorOf(createStore(ctx, client ?? getDefaultClient()))), client)
    })
  }
  return toNode(fetchEvaluatedHandler({ evaluator, ...(vary !== undefined && { vary }), ...(cors && { cors }) }))
}
