import { getDefaultClient, parseOverrides, withOverrides } from 'flagstage'
import type { Client, Context, Evaluator } from 'flagstage'

// Overrides chosen in the browser (flagstage/devtools' `cookie` option or `overrideCookie`) reaching server
// rendering. Off unless the app enables it: anyone can set a cookie, so a server that trusts this one lets
// any visitor force any flag (issue #13). Enable it for staff only, or verify a signature.

/** A Web `Request`, or anything with a `headers` record (a node `IncomingMessage`, as Express and Fastify pass it). */
export type RequestWithHeaders = Request | { headers: Headers | Record<string, string | string[] | undefined> }

/** Options of `readOverrideCookie` and `overrideEvaluator`. */
export interface OverrideCookieOptions<R extends RequestWithHeaders = Request> {
  /**
   * Required, and off unless `true` or a function that answers `true` for this request (a staff session, an
   * internal network). Never enable it for untrusted users without a check such as `verify`: anyone can
   * set a cookie, and with it force any variant of any flag for themselves.
   */
  enabled: boolean | ((request: R) => boolean | Promise<boolean>)
  /** @default 'flagstage-overrides' (what flagstage/devtools writes) */
  name?: string
  /**
   * Check the cookie before it is trusted, e.g. an HMAC signature your staff-only endpoint appended. Gets the
   * decoded value; returns the `flag:variant,...` text to use, or anything else (false, null, undefined) to
   * ignore the cookie. A throw or rejection ignores it too.
   */
  verify?: (value: string, request: R) => string | false | null | undefined | Promise<string | false | null | undefined>
}

const DEFAULT_NAME = 'flagstage-overrides'
/** Longer cookie values are ignored (browsers cap a cookie near 4 kB anyway). */
const MAX_LENGTH = 4096

const cookieHeader = (request: RequestWithHeaders): string => {
  const headers = request.headers
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get('cookie') ?? ''
  const value = (headers as Record<string, string | string[] | undefined>).cookie
  return Array.isArray(value) ? value.join('; ') : value ?? ''
}

const cookieValue = (header: string, name: string): string | undefined => {
  for (const part of header.split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return undefined
}

let warned = false
const ignore = (error: unknown): Record<string, string> => {
  if (!warned) {
    warned = true
    console.warn('[flagstage/server] the override cookie check threw; the cookie is ignored', error)
  }
  return {}
}

/**
 * The overrides in a request's override cookie (`{ flag: variant }`), or `{}`: when `enabled` is not true
 * for the request, when there is no cookie, when `verify` rejects it, or when it is malformed. Works with a
 * Web `Request` and with a node request (`req` in node:http, Express, Fastify).
 * @example
 * const overrides = await readOverrideCookie(request, { enabled: isStaff(request) })
 * const flags = withOverrides(client, { userId }, overrides)
 */
export const readOverrideCookie = async <R extends RequestWithHeaders>(request: R, options: OverrideCookieOptions<R>): Promise<Record<string, string>> => {
  try {
    const { enabled, verify } = options
    if ((typeof enabled === 'function' ? await enabled(request) : enabled) !== true) return {}
    const raw = cookieValue(cookieHeader(request), options.name ?? DEFAULT_NAME)
    if (!raw || raw.length > MAX_LENGTH) return {}
    let text: string | false | null | undefined = decodeURIComponent(raw)
    if (verify) text = await verify(text, request)
    return typeof text === 'string' ? Object.fromEntries(parseOverrides(text)) : {}
  } catch (error) {
    return error instanceof URIError ? {} : ignore(error)
  }
}

/** Options of `overrideEvaluator`. */
export interface OverrideEvaluatorOptions extends OverrideCookieOptions {
  /** @default the default client from `configure()`, looked up per request */
  client?: Client
  /** Builds the requesting user's context. @default an empty context */
  context?: (request: Request) => Context | Promise<Context>
}

/**
 * A per-request evaluator with the request's override cookie on top of the client's overrides (when
 * enabled; see `readOverrideCookie`), for `evaluatedHandler({ evaluator })` and so, through `toNode`, for
 * flagstage/node. Answers vary by cookie: keep `Vary: Cookie` (the handlers' default).
 * @example
 * evaluatedHandler({ evaluator: overrideEvaluator({ client, context, enabled: (request) => isStaff(request) }) })
 */
export const overrideEvaluator = (options: OverrideEvaluatorOptions): ((request: Request) => Promise<Evaluator>) =>
  async (request) => {
    const client = options.client ?? getDefaultClient()
    if (!client) throw new Error('[flagstage/server] overrideEvaluator: no client (pass `client` or call configure() first)')
    const [context, overrides] = await Promise.all([options.context ? options.context(request) : {}, readOverrideCookie(request, options)])
    return withOverrides(client, context ?? {}, overrides)
  }
