// CORS for flagstage/server handlers that browsers on other origins call (evaluated flags, OFREP).
import { addVary } from './http-cache.ts'

/** Which origins may read a handler's responses from a browser. */
export interface CorsOptions {
  /**
   * Allowed origins: `'*'` (any, without credentials), a list of exact origins
   * (`'https://app.example.com'`), or a function. @default '*'
   */
  origin?: '*' | readonly string[] | ((origin: string) => boolean)
  /** Send `Access-Control-Allow-Credentials: true` (cookies); needs a list or a function as `origin`. @default false */
  credentials?: boolean
  /** Request headers a browser may send. @default 'Content-Type, Authorization, If-None-Match' */
  allowHeaders?: string
  /** Methods allowed in a preflight. @default 'GET, HEAD, POST, OPTIONS' */
  allowMethods?: string
  /** Response headers scripts may read. @default 'ETag' */
  exposeHeaders?: string
  /** How long a browser may cache a preflight, in seconds. @default 600 */
  maxAgeSeconds?: number
}

const allowedOrigin = (options: CorsOptions, origin: string | null): string | undefined => {
  const { origin: allow = '*', credentials = false } = options
  if (!origin) return allow === '*' && !credentials ? '*' : undefined
  if (allow === '*') return credentials ? origin : '*'
  return (typeof allow === 'function' ? allow(origin) : allow.includes(origin)) ? origin : undefined
}

/**
 * Add the CORS response headers for `request` to `headers` (nothing when its origin is not
 * allowed). Adds `Vary: Origin` whenever the answer depends on the origin.
 * @example
 * const headers = new Headers(); corsHeaders(request, { origin: ['https://app.example.com'] }, headers)
 */
export const corsHeaders = (request: Request, options: CorsOptions, headers: Headers = new Headers()): Headers => {
  const allowed = allowedOrigin(options, request.headers.get('origin'))
  if (allowed !== '*' || options.credentials) addVary(headers, 'Origin')
  if (!allowed) return headers
  headers.set('access-control-allow-origin', allowed)
  if (options.credentials) headers.set('access-control-allow-credentials', 'true')
  headers.set('access-control-expose-headers', options.exposeHeaders ?? 'ETag')
  return headers
}

/**
 * The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`): 204 with the
 * allowed methods and headers, or 403 for an origin that is not allowed. Undefined for any other
 * request, so a handler can start with `preflight(request, cors) ?? ...`.
 * @example
 * const early = preflight(request, { origin: ['https://app.example.com'] }); if (early) return early
 */
export const preflight = (request: Request, options: CorsOptions): Response | undefined => {
  if (request.method !== 'OPTIONS' || !request.headers.has('access-control-request-method')) return undefined
  const headers = corsHeaders(request, options)
  if (!headers.has('access-control-allow-origin')) return new Response(null, { status: 403, headers })
  headers.delete('access-control-expose-headers')
  headers.set('access-control-allow-methods', options.allowMethods ?? 'GET, HEAD, POST, OPTIONS')
  headers.set('access-control-allow-headers', options.allowHeaders ?? 'Content-Type, Authorization, If-None-Match')
  headers.set('access-control-max-age', String(options.maxAgeSeconds ?? 600))
  return new Response(null, { status: 204, headers })
}
