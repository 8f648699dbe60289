// HTTP caching helpers shared by every flagstage/server handler (evaluated, OFREP, stream):
// a strong ETag of the body, If-None-Match with RFC 9110's weak comparison, Vary, and one JSON
// response builder that answers 304 and HEAD. Fetch API only: no `node:` imports.

/** `Cache-Control` of per-user responses: any cache may store them, but must revalidate. */
export const PRIVATE_NO_CACHE = 'private, no-cache'

const encoder = /* @__PURE__ */ new TextEncoder()
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** One lane of the body hash: 32 bits, avalanched (murmur3's finaliser). */
const fmix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A strong ETag for a body: `"` + 22 base64url characters + `"` (a 128-bit non-cryptographic hash
 * over the body's UTF-16 code units: change detection, not security). Synchronous, the same in
 * every runtime and process (no Web Crypto, which Node 18 lacks as a global, and no `node:crypto`),
 * so servers behind one load balancer agree on it.
 * @example
 * etagOf(JSON.stringify(snapshot)) // '"k2Vv0S1b8vYpXQm4cJzN3g"'
 */
export const etagOf = (body: string): string => {
  // Four lanes, each an FNV-1a-style xor-multiply with its own seed and odd multiplier.
  let a = 0x811c9dc5
  let b = 0x9e3779b9
  let c = 0x27d4eb2f
  let d = 0x165667b1
  for (let i = 0; i < body.length; i++) {
    const u = body.charCodeAt(i)
    a = Math.imul(a ^ u, 0x01000193)
    b = Math.imul(b ^ u, 0x5bd1e995)
    c = Math.imul(c ^ u, 0xcc9e2d51)
    d = Math.imul(d ^ u, 0x1b873593)
  }
  const n = body.length
  // Cross the lanes before the finaliser (as murmur3_x86_128 does), so every output bit reads every lane.
  a = (a + b + c + d + n) | 0
  b = (b + a) | 0
  c = (c + a) | 0
  d = (d + a) | 0
  const words = [fmix(a), fmix(b), fmix(c), fmix(d)]
  let bits = 0
  let acc = 0
  let out = ''
  for (const w of words) {
    for (let shift = 24; shift >= 0; shift -= 8) {
      acc = (acc << 8) | ((w >>> shift) & 0xff)
      bits += 8
      while (bits >= 6) {
        bits -= 6
        out += B64[(acc >>> bits) & 63]
      }
      acc &= (1 << bits) - 1
    }
  }
  if (bits) out += B64[(acc << (6 - bits)) & 63]
  return `"${out}"`
}

/** The opaque part of an entity tag: `W/"x"` and `"x"` both give `"x"`. */
const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag)

/**
 * Whether an `If-None-Match` header matches `etag`, by the weak comparison RFC 9110 (13.1.2) asks
 * for: `W/` prefixes are ignored on both sides, a list matches when any member does, `*` matches
 * any current representation. A missing header never matches.
 * @example
 * ifNoneMatch(request.headers.get('if-none-match'), etag) // true → answer 304
 */
export const ifNoneMatch = (header: string | null | undefined, etag: string): boolean => {
  if (!header) return false
  const wanted = opaque(etag)
  for (const candidate of header.split(',')) {
    const tag = candidate.trim()
    if (tag === '*' || opaque(tag) === wanted) return true
  }
  return false
}

/**
 * Add header names to `Vary` without repeating any already there (case-insensitively). `*` wins.
 * @example
 * addVary(headers, 'Origin')
 */
export const addVary = (headers: Headers, names: string | readonly string[]): void => {
  const current = headers.get('vary')
  if (current?.trim() === '*') return
  const list = current ? current.split(',').map((s) => s.trim()).filter(Boolean) : []
  const seen = new Set(list.map((s) => s.toLowerCase()))
  for (const name of typeof names === 'string' ? names.split(',') : names) {
    const n = name.trim()
    if (n && !seen.has(n.toLowerCase())) {
      seen.add(n.toLowerCase())
      list.push(n)
    }
  }
  if (list.length) headers.set('vary', list.join(', '))
}

/** Options of `cachedJson()`. */
export interface CachedJsonOptions {
  /** Response status when the body is sent. @default 200 */
  status?: number
  /** `Cache-Control`. @default 'private, no-cache' */
  cacheControl?: string | false
  /** Request headers the body depends on, added to `Vary`. */
  vary?: string | readonly string[] | false
  /** Extra response headers (CORS, ...), sent on 200 and 304 alike. */
  headers?: HeadersInit
}

/**
 * A JSON response with validators: the body's strong ETag, `Cache-Control`, `Vary`, and a
 * bodiless 304 (with the same validators, RFC 9110 15.4.5) when `If-None-Match` matches; HEAD
 * gets the headers with no body. `Content-Length` is set, so adapters need not buffer. The 304 is
 * given for any method: OFREP revalidates its POST bulk evaluation this way; handlers that follow
 * plain HTTP semantics only call it for GET and HEAD.
 * @example
 * return cachedJson(request, JSON.stringify(flags.snapshot()), { vary: 'Cookie' })
 */
export const cachedJson = (request: Request, body: string, options: CachedJsonOptions = {}): Response => {
  const { status = 200, cacheControl = PRIVATE_NO_CACHE, vary, headers: extra } = options
  const etag = etagOf(body)
  const headers = new Headers(extra)
  headers.set('etag', etag)
  if (cacheControl) headers.set('cache-control', cacheControl)
  if (vary) addVary(headers, vary)
  if (ifNoneMatch(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers })
  const bytes = encoder.encode(body)
  headers.set('content-type', 'application/json; charset=utf-8')
  headers.set('content-length', String(bytes.byteLength))
  return new Response(request.method === 'HEAD' ? null : bytes, { status, headers })
}
