// Public entry of 'flagstage/node': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage' (external in the build: one core instance).

export { evaluatedHandler } from './evaluated-handler.ts'
export { fastifyFlags } from './fastify-flags.ts'
export { fileCache } from './file-cache.ts'
export { file } from './file-source.ts'
export { flagsMiddleware, flagsOf } from './middleware.ts'
export { currentContext, currentFlags, explain, isEnabled, value, variant, withContext } from './request-context.ts'
export { nodeRequestOf, sendResponse, toFastify, toNode, toNodeRequest } from './to-node.ts'

export type { EvaluatedHandlerOptions } from './evaluated-handler.ts'
export type { FastifyFlagsOptions, FastifyFlagsPlugin, FastifyInstanceLike, FastifyRequestLike } from './fastify-flags.ts'
export type { FileCache } from './file-cache.ts'
export type { FileSourceOptions } from './file-source.ts'
export type { FlagsMiddleware, FlagsMiddlewareOptions, RequestListener } from './middleware.ts'
export type { WithContextOptions } from './request-context.ts'
export type { ContextFunction } from './resolve-context.ts'
export type { FastifyReplyLike, FastifyRouteRequestLike, FetchHandler, NodeHandler, ToNodeOptions } from './to-node.ts'
