// http(): when it asks again — Retry-After, 401/403, pollMs 0, stop, hidden pages, jitter.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { http } from 'flagstage'
import { closeServers, json, sleep, startServer } from '../helpers/server.ts'
import { config, expectRecovered, fast, faultThenOk, url } from './http-fixtures.ts'
import { record, soon, stopSources } from './record.ts'

/** A fetch served from memory, recording each call's x-client header and Date.now(). */
const memoryFetch = (): { url: string; calls: { client: string | null; at: number }[]; fetch: (url: string, init?: RequestInit) => Promise<Response> } => {
  const calls: { client: string | null; at: number }[] = []
  return {
    url: 'http://flags.test/flags.json',
    calls,
    fetch: async (_url, init) => {
      calls.push({ client: new Headers(init?.headers).get('x-client'), at: Date.now() })
      return new Response(JSON.stringify(config('ok')), { headers: { 'content-type': 'application/json', etag: '"v1"' } })
    },
  }
}

describe('http() scheduling', () => {
  afterEach(async () => {
    stopSources()
    vi.useRealTimers()
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
    // Retry-After is capped at retryMaxMs (issue #9): give it room above the 1 s the server asks for.
    const rec = record(http(url(server), { ...fast, retryMaxMs: 2_000 }))
    await expectRecovered(rec, 'HTTP_ERROR', 429)
    expect(server.hits[1]!.at - server.hits[0]!.at).toBeGreaterThanOrEqual(990)
  })

  it('caps Retry-After at retryMaxMs', async () => {
    const server = await startServer(faultThenOk(1, (_req, res) => res.writeHead(429, { 'retry-after': '86400' }).end()))
    const rec = record(http(url(server), { ...fast, retryMaxMs: 50 }))
    await expectRecovered(rec, 'HTTP_ERROR', 429)
    expect(server.hits).toHaveLength(2)
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
    const rec = record(http(url(server), { ...fast, retryMaxMs: 2_000 }))
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
    // Fake timers and an in-memory fetch: which polls happen is decided by the schedule, not by how fast
    // a loaded machine runs the test.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' })
    vi.stubGlobal('document', page)
    const memory = memoryFetch()
    const rec = record(http(memory.url, { ...fast, pollMs: 30, jitter: 0, fetch: memory.fetch }))
    await vi.advanceTimersByTimeAsync(0)
    expect(memory.calls).toHaveLength(1)
    expect(rec.docs).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(30)
    expect(memory.calls).toHaveLength(2) // visible: it polls every 30 ms
    page.visibilityState = 'hidden'
    await vi.advanceTimersByTimeAsync(300)
    expect(memory.calls).toHaveLength(2) // the poll due at 60 ms was skipped, and none is scheduled after it
    expect(vi.getTimerCount()).toBe(0)
    page.visibilityState = 'visible'
    page.dispatchEvent(new Event('visibilitychange')) // no timer is pending: only this can trigger the refresh
    await vi.advanceTimersByTimeAsync(0)
    expect(memory.calls).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(30)
    expect(memory.calls).toHaveLength(4) // and polling resumes
  })

  it('polls a hidden page when pauseWhenHidden is false', async () => {
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'hidden' }))
    const server = await startServer((_req, res) => json(res, config('ok')))
    record(http(url(server), { ...fast, pollMs: 20, pauseWhenHidden: false }))
    await vi.waitFor(() => expect(server.hits.length).toBeGreaterThanOrEqual(3), soon)
  })

  it('spreads the polls of 100 clients started together over the jitter window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const t0 = Date.now()
    const memory = memoryFetch()
    // Deterministic jitter: client i draws (i + 0.5) / 100, i.e. evenly over 600 ms ± 50%.
    for (let i = 0; i < 100; i++) {
      const random = (): number => (i + 0.5) / 100
      record(http(memory.url, { ...fast, pollMs: 600, jitter: 0.5, random, headers: { 'x-client': String(i) }, fetch: memory.fetch }))
    }
    await vi.advanceTimersByTimeAsync(0)
    expect(memory.calls).toHaveLength(100) // the first round goes out at once
    await vi.advanceTimersByTimeAsync(299)
    expect(memory.calls).toHaveLength(100) // nobody polls sooner than 600 ms - 50%
    await vi.advanceTimersByTimeAsync(601)
    const second = [...Array(100).keys()].map((i) => memory.calls.filter((call) => call.client === String(i))[1]!.at - t0)
    // Client i waits 600 * (1 + 0.5 * (2 * (i + 0.5) / 100 - 1)) = 303 + 6i ms: its own interval, all different.
    // (Timers run at whole milliseconds, and 600 * (...) is not exact in floating point: within 1 ms.)
    second.forEach((at, i) => expect(Math.abs(at - (303 + 6 * i))).toBeLessThanOrEqual(1))
    // So no 10 ms window holds more than 2 of the 100 second-round requests (without jitter: all 100 at 600 ms).
    const busiest = Math.max(...second.map((start) => second.filter((at) => at >= start && at < start + 10).length))
    expect(busiest).toBe(2)
  })
})
