// What a failing source says: the cause fetch hides, HTML where JSON was expected, URLs that can
// never work (reported once, not retried), and a URL passed where a Source belongs.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, http, sse } from 'flagstage'
import type { Logger } from 'flagstage'
import { closeServers, startServer } from '../helpers/server.ts'
import { fast } from './http-fixtures.ts'
import { record, soon, stopSources } from './record.ts'

/** A port nobody listens on (bound, then released). */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const memoryLogger = (): Logger & { lines: [string, string][] } => {
  const lines: [string, string][] = []
  return { lines, warn: (m: string) => void lines.push(['warn', m]), error: (m: string) => void lines.push(['error', m]) }
}

describe('source failure messages', () => {
  afterEach(async () => {
    stopSources()
    await closeServers()
  })

  it('names ECONNREFUSED when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/flags.json`
    const rec = record(http(url, fast))
    await vi.waitFor(() => expect(rec.errors.length).toBeGreaterThan(0), soon)
    expect(rec.errors[0]!.code).toBe('NETWORK_ERROR')
    expect(rec.errors[0]!.message).toContain('ECONNREFUSED')
    expect(rec.errors[0]!.message).toContain(url)
  })

  it('names ENOTFOUND when the host does not resolve', async () => {
    const rec = record(http('http://flagstage-test.invalid/flags.json', fast))
    await vi.waitFor(() => expect(rec.errors.length).toBeGreaterThan(0), { ...soon, timeout: 15_000 })
    expect(rec.errors[0]!.message).toMatch(/ENOTFOUND|EAI_AGAIN/)
  })

  it('says "got HTML" when an SPA fallback answers with index.html', async () => {
    const server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>\n<html><body><div id="root"></div></body></html>'))
    const rec = record(http(`${server.origin}/flags.json`, fast))
    await vi.waitFor(() => expect(rec.errors.length).toBeGreaterThan(0), soon)
    expect(rec.errors[0]!.code).toBe('PARSE_ERROR')
    expect(rec.errors[0]!.message).toContain('got HTML')
    expect(rec.errors[0]!.message).toContain('text/html')
  })

  it.each([
    ['a relative URL (Node has no page to resolve it against)', '/flags.json', 'not an absolute URL'],
    ['another scheme', 'ftp://cdn.example.com/flags.json', 'unsupported scheme ftp:'],
  ])('fails once, and never retries, for %s', async (_what, url, message) => {
    for (const source of [http(url, fast), sse(url, { ...fast, fallbackPollMs: 40 })]) {
      const rec = record(source)
      await vi.waitFor(() => expect(rec.errors).toHaveLength(1), soon)
      expect(rec.errors[0]!.code).toBe('SOURCE_ERROR')
      expect(rec.errors[0]!.message).toContain(message)
      await new Promise((resolve) => setTimeout(resolve, 100)) // a retrying source would report again by now
      expect(rec.errors).toHaveLength(1)
    }
  })

  it('lets a custom fetch take a relative URL', async () => {
    const fetch = vi.fn(async () => new Response('{"schemaVersion":1,"flags":{}}'))
    const rec = record(http('/flags.json', { ...fast, fetch }))
    await vi.waitFor(() => expect(rec.docs).toHaveLength(1), soon)
    expect(fetch).toHaveBeenCalledWith('/flags.json', expect.anything())
  })

  it('reports nothing once stopped before the microtask', async () => {
    const rec = record(http('/flags.json', fast))
    rec.stop()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(rec.errors).toEqual([])
  })

  it('tells createClient({ source: url }) to wrap the URL in http()', async () => {
    const logger = memoryLogger()
    const client = createClient({ source: 'https://cdn.example.com/flags.json' as never, logger })
    const errors: string[] = []
    client.on('error', (error) => void errors.push(error.message))
    await vi.waitFor(() => expect(errors).toHaveLength(1), soon)
    expect(errors[0]).toContain('http("https://cdn.example.com/flags.json")')
    expect(logger.lines).toEqual([['error', expect.stringContaining('wrap it in http()')]])
    client.close()
  })
})
