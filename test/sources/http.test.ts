// http() against a real node:http server: responses, faults and recovery.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { http } from 'flagstage'
import { closeServers, json, sleep, startServer } from '../helpers/server.ts'
import { config, expectRecovered, fast, faultThenOk, url } from './http-fixtures.ts'
import { record, soon, stopSources } from './record.ts'

describe('http()', () => {
  afterEach(async () => {
    stopSources()
    vi.unstubAllGlobals()
    await closeServers()
  })

  it('emits the parsed document unvalidated, with its ETag', async () => {
    const server = await startServer((_req, res) => json(res, { anything: [1, 'two'] }, { etag: '"v1"' }))
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(rec.docs).toHaveLength(1), soon)
    expect(rec.docs[0]).toEqual({ anything: [1, 'two'] })
    expect(rec.metas[0]).toEqual({ etag: '"v1"' })
    expect(server.hits[0]?.headers.accept).toBe('application/json')
  })

  it('sends If-None-Match and, on 304, emits no document (only { notModified: true })', async () => {
    const server = await startServer((req, res) =>
      req.headers['if-none-match'] === '"v1"' ? res.writeHead(304).end() : json(res, config('r1'), { etag: '"v1"' }),
    )
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(server.hits.length).toBeGreaterThanOrEqual(4), soon)
    expect(server.hits[0]?.headers['if-none-match']).toBeUndefined()
    expect(server.hits.slice(1).every((hit) => hit.headers['if-none-match'] === '"v1"')).toBe(true)
    expect(rec.docs[0]).toEqual(config('r1'))
    expect(rec.docs.slice(1).every((doc) => doc === undefined)).toBe(true)
    expect(rec.metas.slice(1).every((meta) => meta?.notModified === true)).toBe(true)
    expect(rec.errors).toEqual([])
  })

  it('emits a changed document on the next poll', async () => {
    let revision = 'r1'
    const server = await startServer((_req, res) => json(res, config(revision), { etag: `"${revision}"` }))
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(rec.docs).toHaveLength(1), soon)
    revision = 'r2'
    await vi.waitFor(() => expect(rec.docs).toContainEqual(config('r2')), soon)
    expect(rec.metas.at(-1)).toEqual({ etag: '"r2"' })
  })

  it.each([500, 502, 503, 404, 400])('reports HTTP %i as HTTP_ERROR with its status and recovers by itself', async (status) => {
    const server = await startServer(faultThenOk(2, (_req, res) => res.writeHead(status).end('nope')))
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'HTTP_ERROR', status)
    expect(rec.errors).toHaveLength(2)
  })

  it('reports a refused connection as NETWORK_ERROR and recovers when the server restarts on the same port', async () => {
    const server = await startServer((_req, res) => json(res, config('ok')))
    await server.stop()
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(rec.errors.length).toBeGreaterThanOrEqual(2), soon)
    await server.restart()
    await expectRecovered(rec, 'NETWORK_ERROR')
  })

  it('keeps polling across a server restart', async () => {
    let revision = 'r1'
    const server = await startServer((_req, res) => json(res, config(revision)))
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(rec.docs).toHaveLength(1), soon)
    await server.stop()
    await vi.waitFor(() => expect(rec.codes()).toContain('NETWORK_ERROR'), soon)
    revision = 'ok'
    await server.restart()
    await expectRecovered(rec, 'NETWORK_ERROR')
  })

  it('aborts a hung request after timeoutMs as TIMEOUT and retries', async () => {
    const closed: string[] = []
    const server = await startServer(faultThenOk(1, (req) => req.on('close', () => closed.push('hung'))))
    const started = performance.now()
    const rec = record(http(url(server), { ...fast, timeoutMs: 100 }))
    await expectRecovered(rec, 'TIMEOUT')
    expect(closed).toEqual(['hung'])
    expect(rec.events[0]!.at - started).toBeGreaterThanOrEqual(95)
  })

  it('accepts a slow drip body that completes within timeoutMs', async () => {
    const server = await startServer(async (_req, res) => {
      const body = JSON.stringify(config('ok'))
      res.writeHead(200, { 'content-type': 'application/json' })
      for (const char of body.slice(0, 10)) {
        res.write(char)
        await sleep(10)
      }
      res.end(body.slice(10))
    })
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(rec.docs).toEqual([config('ok')]), soon)
    expect(rec.errors).toEqual([])
  })

  it('times out a slow drip body that does not complete within timeoutMs, then recovers', async () => {
    const server = await startServer(
      faultThenOk(1, (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).write('{')
        const drip = setInterval(() => res.write(' '), 20)
        req.on('close', () => clearInterval(drip))
      }),
    )
    const rec = record(http(url(server), { ...fast, timeoutMs: 150 }))
    await expectRecovered(rec, 'TIMEOUT')
  })

  it('reports truncated JSON as PARSE_ERROR and recovers', async () => {
    const server = await startServer(
      faultThenOk(1, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"schemaVersion":1,"revision":"r')),
    )
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'PARSE_ERROR')
  })

  it('reports a body cut off by a dropped connection as NETWORK_ERROR and recovers', async () => {
    const server = await startServer(
      faultThenOk(1, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' }).write('{"schemaVersion":1,')
        setTimeout(() => res.socket?.destroy(), 10)
      }),
    )
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'NETWORK_ERROR')
  })

  it('rejects a body whose Content-Length exceeds maxBytes without reading it', async () => {
    const closed: number[] = []
    const server = await startServer(
      faultThenOk(1, (req, res) => {
        // Headers and a first chunk only: a source that waited for the body would time out.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '6000000' }).write('{"a":"')
        req.socket.on('close', () => closed.push(performance.now()))
      }),
    )
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'PAYLOAD_TOO_LARGE') // waiting for the body would have been a TIMEOUT
    expect(rec.errors[0]!.message).toMatch(/5242880/)
    await vi.waitFor(() => expect(closed).toHaveLength(1), soon)
  })

  it('stops reading a body without Content-Length as soon as it passes maxBytes', async () => {
    let sent = 0
    const server = await startServer(
      faultThenOk(1, (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).write('["')
        const chunk = 'x'.repeat(16_384)
        const flood = setInterval(() => {
          res.write(chunk)
          sent += chunk.length
        }, 2)
        req.on('close', () => clearInterval(flood))
      }),
    )
    const rec = record(http(url(server), { ...fast, maxBytes: 100_000, timeoutMs: 5_000 }))
    await expectRecovered(rec, 'PAYLOAD_TOO_LARGE')
    expect(sent).toBeLessThan(1_000_000)
  })

  it.each(['application/json; charset=utf-8', 'application/vnd.flagstage+json', 'text/plain', 'application/octet-stream'])(
    'parses JSON served as %s',
    async (type) => {
      const server = await startServer((_req, res) => res.writeHead(200, { 'content-type': type }).end(JSON.stringify(config('ok'))))
      const rec = record(http(url(server), fast))
      await vi.waitFor(() => expect(rec.docs[0]).toEqual(config('ok')), soon)
      expect(rec.errors).toEqual([])
    },
  )

  it('reports an HTML page (captive portal, SPA fallback) as PARSE_ERROR naming its content type, and recovers', async () => {
    const server = await startServer(
      faultThenOk(1, (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Sign in')),
    )
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'PARSE_ERROR')
    expect(rec.errors[0]!.message).toContain('text/html')
  })

  it('sends headers from an async function through a custom fetch', async () => {
    let n = 0
    const calls: string[] = []
    const server = await startServer((_req, res) => json(res, config('ok')))
    const rec = record(
      http(url(server), {
        ...fast,
        headers: async () => ({ authorization: `Bearer t${++n}`, accept: 'text/html' }),
        fetch: (input, init) => {
          calls.push(input)
          return fetch(input, init)
        },
      }),
    )
    await vi.waitFor(() => expect(server.hits.length).toBeGreaterThanOrEqual(2), soon)
    expect(server.hits[0]?.headers.authorization).toBe('Bearer t1')
    expect(server.hits[1]?.headers.authorization).toBe('Bearer t2')
    expect(server.hits[0]?.headers.accept).toBe('application/json')
    expect(calls[0]).toBe(url(server))
    expect(rec.errors).toEqual([])
  })

  it('sends headers given as an object', async () => {
    const server = await startServer((_req, res) => json(res, config('ok')))
    record(http(url(server), { ...fast, headers: { 'x-client': 'web' } }))
    await vi.waitFor(() => expect(server.hits[0]?.headers['x-client']).toBe('web'), soon)
  })
})
