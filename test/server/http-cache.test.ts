import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'
import { addVary, cachedJson, etagOf, ifNoneMatch } from 'flagstage/server'

describe('etagOf()', () => {
  it('is a quoted 22-character base64url tag, the same for the same body', () => {
    const body = JSON.stringify({ evaluated: true, revision: 'r1', flags: { a: { variant: 'on', value: true, enabled: true } } })
    expect(etagOf(body)).toMatch(/^"[A-Za-z0-9_-]{22}"$/)
    expect(etagOf(body)).toBe(etagOf(`${body}`))
    expect(etagOf('')).toMatch(/^"[A-Za-z0-9_-]{22}"$/)
  })

  it('is stable across releases and runtimes (fixed vectors)', () => {
    // Pinned outputs: servers behind one load balancer, in any runtime, must agree.
    expect([etagOf(''), etagOf('{}'), etagOf('é€😀')]).toEqual(['"W3KjvctdVfi1Az8IDyD7hw"', '"9P0j7OHm91T7gagn5y4oqQ"', '"iAXEedATDPw0tZdVl8HCsA"'])
  })

  it('differs for 200,000 bodies that differ in one character, one position or one flag', SLOW, () => {
    const seen = new Set<string>()
    const base = JSON.stringify({ evaluated: true, revision: 'r', flags: { 'new-home': { variant: 'off', value: false, enabled: false } } })
    let n = 0
    for (let i = 0; i < 100_000; i++) {
      seen.add(etagOf(`${base}${i}`))
      seen.add(etagOf(base.replace('"r"', `"r${i}"`) + 'x'))
      n += 2
    }
    expect(seen.size).toBe(n)
    // Swapping two characters or adding one changes it.
    expect(etagOf('ab')).not.toBe(etagOf('ba'))
    expect(etagOf('a')).not.toBe(etagOf('a\u0000'))
  })
})

describe('ifNoneMatch()', () => {
  const etag = '"abc"'
  it.each([
    ['"abc"', true], ['W/"abc"', true], ['"x", "abc"', true], ['"x",W/"abc" ', true], ['*', true],
    ['"abcd"', false], ['"ab"', false], ['abc', false], ['', false], [null, false], [undefined, false],
  ])('%j → %s (weak comparison, RFC 9110 13.1.2)', (header, expected) => {
    expect(ifNoneMatch(header, etag)).toBe(expected)
  })
  it('compares a weak ETag of ours weakly too', () => {
    expect(ifNoneMatch('"abc"', 'W/"abc"')).toBe(true)
  })
})

describe('addVary()', () => {
  it('adds names once, case-insensitively, and leaves * alone', () => {
    const h = new Headers({ vary: 'Cookie' })
    addVary(h, 'cookie, Authorization')
    addVary(h, ['Origin', 'authorization'])
    expect(h.get('vary')).toBe('Cookie, Authorization, Origin')
    const star = new Headers({ vary: '*' })
    addVary(star, 'Origin')
    expect(star.get('vary')).toBe('*')
    const none = new Headers()
    addVary(none, '')
    expect(none.has('vary')).toBe(false)
  })
})

describe('cachedJson()', () => {
  const body = JSON.stringify({ hello: 'wörld' })
  it('sends the body with its ETag, private no-cache, Vary, a byte Content-Length and JSON type', async () => {
    const res = cachedJson(new Request('http://x/'), body, { vary: 'Cookie' })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe(etagOf(body))
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    expect(res.headers.get('vary')).toBe('Cookie')
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength))
    expect(await res.text()).toBe(body)
  })

  it('answers 304 with the validators and no body when If-None-Match matches, for any method', async () => {
    for (const method of ['GET', 'HEAD', 'POST']) {
      const req = new Request('http://x/', { method, headers: { 'if-none-match': `W/${etagOf(body)}` } })
      const res = cachedJson(req, body, { vary: 'Cookie', headers: { 'x-extra': '1' } })
      expect(res.status).toBe(304)
      expect(res.headers.get('etag')).toBe(etagOf(body))
      expect(res.headers.get('vary')).toBe('Cookie')
      expect(res.headers.get('x-extra')).toBe('1')
      expect(res.headers.has('content-type')).toBe(false)
      expect(await res.text()).toBe('')
    }
  })

  it('answers HEAD with the headers and no body, and takes a status and no Cache-Control', async () => {
    const head = cachedJson(new Request('http://x/', { method: 'HEAD' }), body)
    expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength))
    expect(await head.text()).toBe('')
    const other = cachedJson(new Request('http://x/'), body, { status: 201, cacheControl: false, vary: false })
    expect(other.status).toBe(201)
    expect(other.headers.has('cache-control')).toBe(false)
    expect(other.headers.has('vary')).toBe(false)
  })
})
