import { afterEach, describe, expect, it, vi } from 'vitest'
import { EVENTUALLY } from '../helpers/timeouts.ts'
import { createClient, http, sse } from 'flagstage'
import { closeServers, startServer } from '../helpers/server.ts'

afterEach(closeServers)
const good = JSON.stringify({ schemaVersion: 1, revision: 'good', flags: { a: { enabled: true, rules: [{ serve: 'on' }] } } })
const bad = JSON.stringify({ schemaVersion: 1, revision: 'bad', flags: { a: { enabled: 'yes' } } })

describe('sources after a rejected document (issue #9)', () => {
  it('http() never sends the ETag of a rejected config, so a 304 cannot mark the client ready', async () => {
    const server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"bad"') res.writeHead(304).end()
      else res.writeHead(200, { 'content-type': 'application/json', etag: '"bad"' }).end(bad)
    })
    const client = createClient({ source: http(server.origin, { pollMs: 20, retryBaseMs: 1, retryMaxMs: 5 }) })
    client.on('error', () => {})
    await vi.waitFor(() => expect(server.hits.length).toBeGreaterThanOrEqual(3), EVENTUALLY)
    client.close()
    expect(server.hits.every((hit) => hit.headers['if-none-match'] === undefined)).toBe(true)
    expect(client.status().state).toBe('error')
    expect(client.status().lastError?.code).toBe('INVALID_CONFIG')
  })

  it('sse() stops for good when close() is called inside an error listener', async () => {
    const server = await startServer((_req, res) => res.writeHead(500).end())
    const client = createClient({ source: sse(server.origin, { retryBaseMs: 1, retryMaxMs: 5 }) })
    let errors = 0
    client.on('error', () => {
      errors++
      client.close()
    })
    await vi.waitFor(() => expect(errors).toBe(1), EVENTUALLY)
    const seen = server.hits.length
    // Give any stray timer or fallback poll time to fire (5 ms backoff): nothing more may arrive.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.hits.length).toBe(seen)
  })

  it('sse() counts maxBytes in UTF-8 bytes (600 é are 1,200 bytes)', async () => {
    const big = JSON.stringify({ ...JSON.parse(good), description: 'é'.repeat(600) })
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(`event: config\ndata: ${good}\n\n`)
      res.write(`event: config\ndata: ${big}\n\n`)
    })
    const client = createClient({ source: sse(server.origin, { maxBytes: 1000, retryBaseMs: 1000 }) })
    const codes: string[] = []
    client.on('error', (e) => codes.push(e.code))
    await vi.waitFor(() => expect(codes.length).toBeGreaterThanOrEqual(1), EVENTUALLY)
    client.close()
    expect(codes[0]).toBe('PAYLOAD_TOO_LARGE')
    expect(client.status().revision).toBe('good')
  })
})

describe('client limits (issue #9)', () => {
  it('treats a context whose getters throw as empty', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no') } })
    const client = createClient({ context: hostile })
    expect(client.getContext()).toEqual({})
    expect(() => client.setContext(hostile)).not.toThrow()
    client.close()
  })
})
