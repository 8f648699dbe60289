// Public entry of 'flagstage/server': Fetch API handlers (Web Request → Response, no `node:` imports).
// An explicit list, values first, then types, grouped by file. Core is reached only as 'flagstage'.

export { corsHeaders, preflight } from './cors.ts'
export { evaluatedHandler } from './evaluated.ts'
export { addVary, cachedJson, etagOf, ifNoneMatch, PRIVATE_NO_CACHE } from './http-cache.ts'
export { ofrepHandler } from './ofrep.ts'
export { overrideEvaluator, readOverrideCookie } from './override-cookie.ts'
export { streamHandler } from './stream.ts'

export type { CorsOptions } from './cors.ts'
export type { EvaluatedHandlerOptions, FetchHandler, RequestContextFunction } from './evaluated.ts'
export type { CachedJsonOptions } from './http-cache.ts'
export type { OfrepEventStream, OfrepHandlerOptions } from './ofrep.ts'
export type { OverrideCookieOptions, OverrideEvaluatorOptions, RequestWithHeaders } from './override-cookie.ts'
export type { StreamHandler, StreamHandlerOptions } from './stream.ts'
