// wake() on http() and sse(): a runtime that drops a source's timers and requests while it is idle
// (workerd ends them with the request that started them) is noticed at the next use, and nothing else is.
// Fake timers and clock, in-memory fetch: "dropped" is vi.clearAllTimers() plus a request that never settles.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { http, sse } from 'flagstage'
import type { SourceHandle } from 'flagstage'
import { record, stopSources } from './record.ts'
import type { Recording } from './record.ts'
import { jsonResponse, scriptedFetch, stream } from './scripted-fetch.ts'

const config = (revision: string): object => ({ schemaVersion: 1, revision, flags: {} })
const GRACE = 1_000 // WAKE_GRACE_MS

const event = (name: string, data: unknown, id: string): string => `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`

const wake = (rec: Recording): void => (rec.stop as SourceHandle).wake!()
/** Let promises settle without moving the clock. */
const settle = async (): Promise<void> => void (await vi.advanceTimersByTimeAsync(0))
/** The runtime drops every timer, then the clock moves on by `ms`. */
const dropTimersFor = async (ms: number): Promise<void> => {
  const now = Date.now()
  vi.clearAllTimers() // (also sets the fake clock back to where it started)
  vi.setSystemTime(now + ms)
  await settle()
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  stopSources()
  vi.useRealTimers()
})

describe('http() wake()', () => {
  it('polls at once when the poll timer is overdue by more than the grace, and not a millisecond sooner', async () => {
    const net = scriptedFetch()
    const rec = record(http('http://flags.test/flags.json', { pollMs: 10_000, jitter: 0, fetch: net.fetch }))
    await settle()
    net.answer(0, jsonResponse(config('r1')))
    await settle()
    expect(rec.docs).toEqual([config('r1')])
    wake(rec) // the timer is pending and not late: nothing to do
    expect(net.calls).toHaveLength(1)
    await dropTimersFor(10_000 + GRACE)
    wake(rec) // due + grace: still within
    expect(net.calls).toHaveLength(1)
    vi.setSystemTime(Date.now() + 1)
    wake(rec)
    expect(net.calls).toHaveLength(2)
    net.answer(1, jsonResponse(config('r2')))
    await settle()
    expect(rec.docs).toEqual([config('r1'), config('r2')])
    expect(rec.errors).toEqual([])
    // The new poll scheduled its own timer: polling goes on without another wake().
    await vi.advanceTimersByTimeAsync(10_000)
    expect(net.calls).toHaveLength(3)
  })

  it('replaces a request lost past timeoutMs: aborts it, asks again, and ignores the lost one', async () => {
    const net = scriptedFetch()
    const rec = record(http('http://flags.test/flags.json', { pollMs: 10_000, timeoutMs: 5_000, jitter: 0, fetch: net.fetch }))
    await settle()
    expect(net.calls).toHaveLength(1)
    await dropTimersFor(3_000) // the deadline timer is gone too
    wake(rec)
    expect(net.calls).toHaveLength(1) // not yet overdue
    await dropTimersFor(3_001 + GRACE)
    wake(rec)
    expect(net.calls[0]!.signal.aborted).toBe(true)
    expect(net.calls).toHaveLength(2)
    net.answer(1, jsonResponse(config('r1')))
    await settle()
    expect(rec.docs).toEqual([config('r1')])
    expect(rec.errors).toEqual([]) // the aborted request reports nothing: it is not the current poll
  })

  it('cancels a late timer it replaced (the clock jumped, as after a suspend), so it polls once, not twice', async () => {
    const net = scriptedFetch()
    const rec = record(http('http://flags.test/flags.json', { pollMs: 10_000, jitter: 0, fetch: net.fetch }))
    await settle()
    net.answer(0, jsonResponse(config('r1')))
    await settle()
    // The clock jumps; the timer is late, not gone (fake timers keep it 10 s of timer time away).
    vi.setSystemTime(Date.now() + 10_000 + GRACE + 1)
    wake(rec)
    net.answer(1, jsonResponse(config('r2')))
    await settle()
    expect(net.calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(10_000) // the late timer and the new poll's timer, had the first not been cleared
    expect(net.calls).toHaveLength(3)
  })

  it('ignores the lost request if the runtime answers it after all', async () => {
    const net = scriptedFetch({ ignoreAbort: true })
    const rec = record(http('http://flags.test/flags.json', { pollMs: 10_000, timeoutMs: 5_000, jitter: 0, fetch: net.fetch }))
    await settle()
    await dropTimersFor(5_000 + GRACE + 1)
    wake(rec)
    net.answer(1, jsonResponse(config('r2')))
    await settle()
    net.answer(0, jsonResponse(config('stale')))
    await settle()
    expect(rec.docs).toEqual([config('r2')])
    await vi.advanceTimersByTimeAsync(10_000) // one poll timer (the current poll's), not two
    expect(net.calls).toHaveLength(3)
  })

  it('never polls again on wake() after pollMs: 0 fetched its document', async () => {
    const net = scriptedFetch()
    const rec = record(http('http://flags.test/flags.json', { pollMs: 0, fetch: net.fetch }))
    await settle()
    net.answer(0, jsonResponse(config('r1')))
    await settle()
    await dropTimersFor(86_400_000)
    wake(rec)
    expect(net.calls).toHaveLength(1)
  })

  it('does nothing once stopped', async () => {
    const net = scriptedFetch()
    const rec = record(http('http://flags.test/flags.json', { pollMs: 10_000, timeoutMs: 5_000, fetch: net.fetch }))
    await settle()
    rec.stop()
    await dropTimersFor(60_000)
    wake(rec)
    expect(net.calls).toHaveLength(1)
  })
})

describe('sse() wake()', () => {
  const options = (net: ReturnType<typeof scriptedFetch>) => ({
    fetch: net.fetch, idleTimeoutMs: 30_000, retryBaseMs: 1_000, retryMaxMs: 1_000, random: () => 1,
    fallbackUrl: 'http://flags.test/flags.json', fallbackPollMs: 10_000, jitter: 0,
  })

  it('reconnects with Last-Event-ID when the stream has been silent past idleTimeoutMs + grace, and not sooner', async () => {
    const net = scriptedFetch()
    const rec = record(sse('http://flags.test/stream', options(net)))
    await settle()
    const first = stream()
    net.answer(0, first.res)
    await settle()
    first.write(event('config', config('r1'), 'r1'))
    await settle()
    expect(rec.docs).toEqual([config('r1')])
    await dropTimersFor(20_000)
    first.write(': still here\n\n') // any byte counts as life and moves the deadline
    await settle()
    await dropTimersFor(30_000 + GRACE)
    wake(rec)
    expect(net.calls).toHaveLength(1)
    vi.setSystemTime(Date.now() + 1)
    wake(rec)
    expect(net.calls).toHaveLength(2)
    expect(net.calls[0]!.signal.aborted).toBe(true)
    expect(net.calls[1]!.headers.get('last-event-id')).toBe('r1')
    const second = stream()
    net.answer(1, second.res)
    await settle()
    second.write(event('config', config('r2'), 'r2'))
    first.write(event('config', config('stale'), 'stale')) // the replaced stream, had the runtime not closed it
    await settle()
    // Back on a stream: the last config is current ({ notModified }), then the new one; the lost stream reports nothing.
    expect(rec.docs).toEqual([config('r1'), undefined, config('r2')])
    expect(rec.errors).toEqual([])
  })

  it('reconnects at once when the reconnect timer is overdue, and wakes the fallback poll too', async () => {
    const net = scriptedFetch()
    const rec = record(sse('http://flags.test/stream', options(net)))
    await settle()
    net.answer(0, new Response('down', { status: 503 }))
    await settle()
    // Down: a reconnect in 1 s and a fallback request.
    expect(rec.codes()).toEqual(['HTTP_ERROR'])
    expect(net.calls.map((c) => c.url)).toEqual(['http://flags.test/stream', 'http://flags.test/flags.json'])
    net.answer(1, jsonResponse(config('f1')))
    await settle()
    expect(rec.docs).toEqual([config('f1')])
    await dropTimersFor(1_000 + GRACE)
    wake(rec)
    expect(net.calls).toHaveLength(2) // the reconnect is due + grace: still within; the fallback (10 s) too
    await dropTimersFor(10_000)
    wake(rec)
    // Both overdue: the stream reconnects and the fallback polls, each once.
    expect(net.calls.map((c) => c.url).slice(2).sort()).toEqual(['http://flags.test/flags.json', 'http://flags.test/stream'])
    expect(net.calls.find((c, i) => i >= 2 && c.url.endsWith('/stream'))!.headers.get('last-event-id')).toBe('f1')
  })

  it('wakes a refetch after PATCH_MISMATCH that was lost', async () => {
    const net = scriptedFetch()
    const rec = record(sse('http://flags.test/stream', { ...options(net), timeoutMs: 5_000 }))
    await settle()
    const live = stream()
    net.answer(0, live.res)
    await settle()
    live.write(event('config', config('r1'), 'r1') + event('patch', { baseRevision: 'r0', patch: {} }, 'r2'))
    await settle()
    expect(rec.codes()).toEqual(['PATCH_MISMATCH'])
    expect(net.calls.map((c) => c.url)).toEqual(['http://flags.test/stream', 'http://flags.test/flags.json'])
    live.write(': alive\n\n')
    await dropTimersFor(5_000 + GRACE + 1) // the refetch is overdue, the stream (30 s idle) is not
    wake(rec)
    expect(net.calls.map((c) => c.url).slice(2)).toEqual(['http://flags.test/flags.json'])
    net.answer(2, jsonResponse(config('r2')))
    await settle()
    expect(rec.docs.at(-1)).toEqual(config('r2'))
  })

  it('cancels a late reconnect timer it replaced, so it connects once, not twice', async () => {
    const net = scriptedFetch()
    const rec = record(sse('http://flags.test/stream', options(net)))
    await settle()
    net.answer(0, new Response('down', { status: 503 }))
    await settle()
    vi.setSystemTime(Date.now() + 1_000 + GRACE + 1) // the reconnect timer is late, not gone
    wake(rec)
    await vi.advanceTimersByTimeAsync(1_000) // the late timer would fire here
    expect(net.calls.filter((c) => c.url.endsWith('/stream'))).toHaveLength(2)
  })

  it('does nothing once stopped', async () => {
    const net = scriptedFetch()
    const rec = record(sse('http://flags.test/stream', options(net)))
    await settle()
    rec.stop()
    expect(net.calls[0]!.signal.aborted).toBe(true)
    await dropTimersFor(120_000)
    wake(rec)
    expect(net.calls).toHaveLength(1)
  })
})
