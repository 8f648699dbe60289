// http(): when it asks again — Retry-After, 401/403, pollMs 0, stop, hidden pages, jitter.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { http } from 'flagstage'
import { closeServers, json, sleep, startServer } from '../helpers/server.ts'
import { config, expectRecovered, fast, faultThenOk, url } from './http-fixtures.ts'
import { record, soon, stopSources } from './record.ts'

describe('http() scheduling', () => {
  afterEach(async () => {
    stopSources()
    vi.unstubAllGlobals()
    await closeServers()
  })

  it.each([401, 403])('reports %i and waits authRetryMs before retrying, then recovers with a rotated credential', async (status) => {
    let token = 'expired'
    const server = await startServer((req, res) =>
      req.headers.authorization === 'Bearer good' ? json(res, config('ok')) : res.writeHead(status).end(),
    )
    const rec = record(http(url(server), { ...fast, jitter: 0, authRetryMs: 200, headers: () => ({ authorization: `Bearer ${token}` }) }))
    await vi.waitFor(() => expect(rec.errors).toHaveLength(1), soon)
    token = 'good'
    await expectRecovered(rec, 'HTTP_ERROR', status)
    const [first, second] = server.hits
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(195) // retryMaxMs is only 20
  })

  it('waits at least Retry-After seconds after a 429', async () => {
    const server = await startServer(faultThenOk(1, (_req, res) => res.writeHead(429, { 'retry-after': '1' }).end()))
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'HTTP_ERROR', 429)
    expect(server.hits[1]!.at - server.hits[0]!.at).toBeGreaterThanOrEqual(990)
  })

  it('honours Retry-After given as an HTTP date on a 503', async () => {
    let wait = 0
    const server = await startServer(
      faultThenOk(1, (_req, res) => {
        // HTTP dates have whole seconds: take the first second boundary at least 300 ms away.
        const until = Math.ceil((Date.now() + 300) / 1_000) * 1_000
        wait = until - Date.now()
        res.writeHead(503, { 'retry-after': new Date(until).toUTCString() }).end()
      }),
    )
    const rec = record(http(url(server), fast))
    await expectRecovered(rec, 'HTTP_ERROR', 503)
    expect(wait).toBeGreaterThanOrEqual(300)
    expect(server.hits[1]!.at - server.hits[0]!.at).toBeGreaterThanOrEqual(wait - 50) // backoff alone would be < 20 ms
  })

  it('fetches once with pollMs: 0, retrying errors until it gets a response', async () => {
    const server = await startServer(faultThenOk(1, (_req, res) => res.writeHead(500).end()))
    const rec = record(http(url(server), { ...fast, pollMs: 0 }))
    await expectRecovered(rec, 'HTTP_ERROR', 500)
    await sleep(150)
    expect(server.hits).toHaveLength(2)
  })

  it('aborts the request in flight when stopped, reports nothing and polls no more', async () => {
    const closed: string[] = []
    const server = await startServer((req) => req.on('close', () => closed.push('closed')))
    const rec = record(http(url(server), fast))
    await vi.waitFor(() => expect(server.hits).toHaveLength(1), soon)
    rec.stop()
    await vi.waitFor(() => expect(closed).toEqual(['closed']), soon)
    await sleep(150)
    expect(server.hits).toHaveLength(1)
    expect(rec.errors).toEqual([])
  })

  it('skips polls while the page is hidden and refreshes as soon as it is shown', async () => {
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' })
    vi.stubGlobal('document', page)
    const server = await startServer((_req, res) => json(res, config('ok')))
    const rec = record(http(url(server), { ...fast, pollMs: 30 }))
    await vi.waitFor(() => expect(rec.docs).toHaveLength(1), soon)
    page.visibilityState = 'hidden'
    await sleep(80) // at most one poll was already scheduled or in flight
    const hidden = server.hits.length
    await sleep(150)
    expect(server.hits.length).toBe(hidden)
    page.visibilityState = 'visible'
    page.dispatchEvent(new Event('visibilitychange')) // no timer is pending: only this can trigger the refresh
    await vi.waitFor(() => expect(server.hits.length).toBe(hidden + 1), soon)
  })

  it('polls a hidden page when pauseWhenHidden is false', async () => {
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'hidden' }))
    const server = await startServer((_req, res) => json(res, config('ok')))
    record(http(url(server), { ...fast, pollMs: 20, pauseWhenHidden: false }))
    await vi.waitFor(() => expect(server.hits.length).toBeGreaterThanOrEqual(3), soon)
  })

  it('spreads the polls of 100 clients started together over the jitter window', async () => {
    const server = await startServer((_req, res) => json(res, config('ok'), { etag: '"v1"' }))
    // Deterministic jitter: client i draws (i + 0.5) / 100, i.e. evenly over 600 ms ± 50%.
    for (let i = 0; i < 100; i++) {
      const random = (): number => (i + 0.5) / 100
      record(http(url(server), { ...fast, pollMs: 600, jitter: 0.5, random, headers: { 'x-client': String(i) } }))
    }
    const hitsOf = (i: number): number[] => server.hits.filter((hit) => hit.headers['x-client'] === String(i)).map((hit) => hit.at)
    const clients = [...Array(100).keys()]
    await vi.waitFor(() => expect(clients.every((i) => hitsOf(i).length >= 2)).toBe(true), { ...soon, timeout: 10_000 })
    const arrivals = clients.map((i) => hitsOf(i)[1]!).sort((a, b) => a - b)
    const busiest = Math.max(...arrivals.map((start) => arrivals.filter((at) => at >= start && at < start + 10).length))
    // Evenly spread over 600 ms that is ~2 per 10 ms; without jitter all 100 arrive within ~100 ms
    // (the time one process takes to serve the first round). 15 leaves room for event-loop stalls.
    expect(busiest).toBeLessThanOrEqual(15)
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(400)
    // Each client waited its own interval: 300 ms for client 0 up to 900 ms for client 99.
    const interval = (i: number): number => hitsOf(i)[1]! - hitsOf(i)[0]!
    expect(interval(0)).toBeLessThan(interval(50))
    expect(interval(50)).toBeLessThan(interval(99))
    expect(interval(99) - interval(0)).toBeGreaterThan(400)
  })
})
