// http() on a fake clock with an in-memory fetch: exact waits (backoff, Retry-After, clamping) and
// what stop() and the page's visibility leave behind, decided by the schedule and not by machine load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { http } from 'flagstage'
import type { HttpOptions } from 'flagstage'
import { record, stopSources } from './record.ts'
import { jsonResponse, scriptedFetch } from './scripted-fetch.ts'

const config = (revision: string): object => ({ schemaVersion: 1, revision, flags: {} })
const URL_ = 'http://flags.test/flags.json'
const settle = async (): Promise<void> => void (await vi.advanceTimersByTimeAsync(0))
const status = (code: number, headers: Record<string, string> = {}): Response => new Response('', { status: code, headers })

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  vi.setSystemTime(Date.UTC(2026, 11, 2, 8, 0, 0)) // a whole second, for HTTP dates
})
afterEach(() => {
  stopSources()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/** Start http() on the scripted fetch; `next(response)` answers the pending call, `waitsFor(ms)` checks the next call comes after exactly ms. */
const start = (options: HttpOptions = {}) => {
  const net = scriptedFetch()
  const rec = record(http(URL_, { jitter: 0, random: () => 1, fetch: net.fetch, ...options }))
  let answered = 0
  return {
    net,
    rec,
    next: async (res: Response): Promise<void> => {
      net.answer(answered++, res)
      await settle()
    },
    waitsFor: async (ms: number): Promise<void> => {
      const calls = net.calls.length
      await vi.advanceTimersByTimeAsync(ms - 1)
      expect(net.calls).toHaveLength(calls)
      await vi.advanceTimersByTimeAsync(1)
      expect(net.calls).toHaveLength(calls + 1)
    },
  }
}

describe('http() on a fake clock', () => {
  it('starts the backoff over after a success', async () => {
    const s = start({ pollMs: 1_000, retryBaseMs: 100, retryMaxMs: 10_000 })
    await settle()
    await s.next(status(500))
    await s.waitsFor(100)
    await s.next(status(500))
    await s.waitsFor(200)
    await s.next(jsonResponse(config('r1')))
    await s.waitsFor(1_000)
    await s.next(status(500))
    await s.waitsFor(100) // not 400: the success reset it
    expect(s.rec.codes()).toEqual(['HTTP_ERROR', 'HTTP_ERROR', 'HTTP_ERROR'])
  })

  it('waits Retry-After seconds to the millisecond, and an HTTP date until that moment', async () => {
    const s = start({ pollMs: 1_000, retryBaseMs: 10, random: () => 0 })
    await settle()
    await s.next(status(429, { 'retry-after': '5' }))
    await s.waitsFor(5_000)
    await s.next(status(503, { 'retry-after': new Date(Date.now() + 7_000).toUTCString() }))
    await s.waitsFor(7_000)
  })

  it('caps Retry-After at 60 s when retryMaxMs is not set', async () => {
    const s = start({ pollMs: 1_000, random: () => 0 })
    await settle()
    await s.next(status(503, { 'retry-after': '86400' }))
    await s.waitsFor(60_000)
  })

  it('keeps a wait longer than setTimeout can hold from firing at once', async () => {
    const s = start({ pollMs: 3_000_000_000 })
    await settle()
    await s.next(jsonResponse(config('r1')))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(s.net.calls).toHaveLength(1)
  })

  it('emits a document without an ETag with no meta', async () => {
    const s = start()
    await settle()
    await s.next(jsonResponse(config('r1')))
    expect(s.rec.docs).toEqual([config('r1')])
    expect(s.rec.metas).toEqual([undefined])
  })

  it('takes a body whose Content-Length is exactly maxBytes', async () => {
    const body = JSON.stringify(config('r1'))
    const s = start({ maxBytes: body.length })
    await settle()
    await s.next(new Response(body, { headers: { 'content-length': String(body.length) } }))
    expect(s.rec.docs).toEqual([config('r1')])
    const over = start({ maxBytes: body.length - 1 })
    await settle()
    await over.next(new Response(body, { headers: { 'content-length': String(body.length) } }))
    expect(over.rec.codes()).toEqual(['PAYLOAD_TOO_LARGE'])
  })

  it('names the content type in a PARSE_ERROR only when it is not JSON', async () => {
    const json = start()
    await settle()
    await json.next(new Response('{"revision":', { headers: { 'content-type': 'application/json' } }))
    expect(json.rec.errors[0]!.message).toMatch(/^http:\/\/flags\.test\/flags\.json: invalid JSON/)
    const text = start()
    await settle()
    await text.next(new Response('{"revision":', { headers: { 'content-type': 'text/plain' } }))
    expect(text.rec.errors[0]!.message).toMatch(/^http:\/\/flags\.test\/flags\.json \(text\/plain\): invalid JSON/)
  })
})

describe('http() stop() on a fake clock', () => {
  it('cancels the next poll', async () => {
    const s = start({ pollMs: 1_000 })
    await settle()
    await s.next(jsonResponse(config('r1')))
    s.rec.stop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(s.net.calls).toHaveLength(1)
  })

  it('emits nothing and schedules nothing when stopped while the body is read', async () => {
    const s = start({ pollMs: 1_000 })
    await settle()
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        s.rec.stop() // the body arrives (a Response built here ignores the abort), the source is already stopped
        controller.enqueue(new TextEncoder().encode(JSON.stringify(config('r1'))))
        controller.close()
      },
    })
    await s.next(new Response(body))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(s.rec.docs).toEqual([])
    expect(s.rec.errors).toEqual([])
    expect(s.net.calls).toHaveLength(1)
  })
})

describe('http() and a page that hides', () => {
  const page = () => {
    const target = Object.assign(new EventTarget(), { visibilityState: 'visible' as 'visible' | 'hidden' })
    vi.stubGlobal('document', target)
    return {
      show: (state: 'visible' | 'hidden') => {
        target.visibilityState = state
        target.dispatchEvent(new Event('visibilitychange'))
      },
    }
  }

  it('does not refetch after a quick tab switch, before the poll fell due', async () => {
    const p = page()
    const s = start({ pollMs: 1_000 })
    await settle()
    await s.next(jsonResponse(config('r1')))
    p.show('hidden')
    p.show('visible')
    await settle()
    expect(s.net.calls).toHaveLength(1)
    await s.waitsFor(1_000) // and the schedule is unchanged
  })

  it('does not refetch when shown after stop()', async () => {
    const p = page()
    const s = start({ pollMs: 1_000 })
    await settle()
    await s.next(jsonResponse(config('r1')))
    p.show('hidden')
    await vi.advanceTimersByTimeAsync(1_000) // the skipped poll
    s.rec.stop()
    p.show('visible')
    await settle()
    expect(s.net.calls).toHaveLength(1)
  })
})
