import { describe, expect, it } from 'vitest'
import { corsHeaders, preflight } from 'flagstage/server'

const req = (method: string, headers: Record<string, string> = {}): Request => new Request('http://api.example/flags', { method, headers })

describe('preflight()', () => {
  it('answers an allowed preflight with 204, methods, headers, max-age and Vary: Origin', () => {
    const res = preflight(req('OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'POST' }), { origin: ['https://app.example'] })!
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, OPTIONS')
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization, If-None-Match')
    expect(res.headers.get('access-control-max-age')).toBe('600')
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('refuses an origin that is not allowed with 403 and no allow-origin', () => {
    const res = preflight(req('OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }), { origin: (o) => o.endsWith('.trusted.example') })!
    expect(res.status).toBe(403)
    expect(res.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('is undefined for anything but a preflight', () => {
    expect(preflight(req('GET', { origin: 'https://app.example' }), {})).toBeUndefined()
    expect(preflight(req('OPTIONS'), {})).toBeUndefined()
  })
})

describe('corsHeaders()', () => {
  it('gives * without credentials, and echoes the origin with credentials', () => {
    const open = corsHeaders(req('GET', { origin: 'https://a.example' }), {})
    expect(open.get('access-control-allow-origin')).toBe('*')
    expect(open.get('access-control-expose-headers')).toBe('ETag')
    expect(open.has('vary')).toBe(false)
    const creds = corsHeaders(req('GET', { origin: 'https://a.example' }), { origin: ['https://a.example'], credentials: true })
    expect(creds.get('access-control-allow-origin')).toBe('https://a.example')
    expect(creds.get('access-control-allow-credentials')).toBe('true')
    expect(creds.get('vary')).toBe('Origin')
  })

  it('adds nothing but Vary for an origin not on the list', () => {
    const h = corsHeaders(req('GET', { origin: 'https://b.example' }), { origin: ['https://a.example'] })
    expect(h.has('access-control-allow-origin')).toBe(false)
    expect(h.get('vary')).toBe('Origin')
  })
})
