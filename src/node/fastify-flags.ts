import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { getDefaultClient } from 'flagstage'
import type { Client, Evaluator } from 'flagstage'
import { bindRequest, createStore, deferredEvaluator, runWithStore } from './request-context.ts'
import { resolveContext } from './resolve-context.ts'
import type { ContextFunction } from './resolve-context.ts'

/** The part of a Fastify request the plugin needs (Fastify's own types are not required). */
export interface FastifyRequestLike {
  raw: IncomingMessage
  headers: IncomingHttpHeaders
}

/** The part of a Fastify instance the plugin uses; a real `FastifyInstance` fits it. */
export interface FastifyInstanceLike<Req> {
  decorateRequest(property: 'flags', value: null): unknown
  addHook(name: 'onRequest', hook: (request: Req, reply: unknown, done: (error?: Error) => void) => void): unknown
}

/** A Fastify plugin (callback style), for `app.register(...)`. */
export type FastifyFlagsPlugin<Req> = (
  instance: FastifyInstanceLike<Req>,
  options: Record<never, never>,
  done: (error?: Error) => void,
) => void

/** Options of `fastifyFlags()`. */
export interface FastifyFlagsOptions<Req extends FastifyRequestLike = FastifyRequestLike> {
  /** The client to evaluate with. @default the default client from `configure()`, looked up per request */
  client?: Client
  /** Builds the flag context from the Fastify request (may be async). */
  context: ContextFunction<Req>
  /** One config per request: a reload while it runs does not change its answers. `false` follows reloads. @default true */
  pin?: boolean
}

/**
 * Per-request flags for Fastify (tested with 4.29): a plugin that decorates `request.flags` and, in an
 * `onRequest` hook, sets it to `client.forContext(context(request))` and runs the rest of the
 * request inside `withContext`, so `isEnabled()` from `flagstage/node` works in handlers, hooks
 * after `onRequest`, and across `await` and body parsing. The plugin is not encapsulated (like
 * `fastify-plugin`): it applies to the instance it is registered on and its children.
 *
 * TypeScript: add `declare module 'fastify' { interface FastifyRequest { flags: Evaluator } }`
 * (with `import type { Evaluator } from 'flagstage'`) to type `request.flags`.
 * @example
 * app.register(fastifyFlags({ client: flags, context: (req) => ({ userId: req.headers['x-user-id'] }) }))
 * app.get('/', async (req) => ({ home: isEnabled('new-home') ? 'new' : 'old' }))
 */
export const fastifyFlags = <Req extends FastifyRequestLike = FastifyRequestLike>(
  options: FastifyFlagsOptions<Req>,
): FastifyFlagsPlugin<Req> => {
  const { client, context, pin = true } = options
  const plugin: FastifyFlagsPlugin<Req> = (instance, _options, done) => {
    instance.decorateRequest('flags', null)
    instance.addHook('onRequest', (request, _reply, next) => {
      resolveContext(context, request, (ctx) => {
        const store = createStore(ctx, client ?? getDefaultClient(), pin)
        ;(request as Req & { flags: Evaluator | null }).flags = store.evaluator ?? deferredEvaluator(store)
        bindRequest(request, store)
        bindRequest(request.raw, store)
        // run(), not enterWith(): enterWith would leave this request's store on the connection's
        // async resource, where the next keep-alive request's earlier hooks would see it.
        // Fastify (4.29+) keeps the context across body parsing with its own AsyncResource.
        runWithStore(store, () => next())
      }, client)
    })
    done()
  }
  // What fastify-plugin does: no encapsulation (hooks and the decorator reach the parent), and a name.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'flagstage' })
  return plugin
}
