// sse() on a fake clock with an in-memory fetch and stream: patch bases, odd events, the fallback
// across outages and stop() during a refetch, decided by the script and not by machine load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sse } from 'flagstage'
import type { EmitMeta, FlagstageError, SseOptions } from 'flagstage'
import { jsonResponse, scriptedFetch, stream } from './scripted-fetch.ts'

const config = (revision?: string, flags: object = {}): object => ({ schemaVersion: 1, ...(revision ? { revision } : {}), flags })
const event = (name: string, data: unknown, id?: string): string =>
  `${id ? `id: ${id}\n` : ''}event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`
const STREAM = 'http://flags.test/stream'
const FALLBACK = 'http://flags.test/flags.json'
const settle = async (): Promise<void> => void (await vi.advanceTimersByTimeAsync(0))

/** sse() on a scripted fetch; the client's emit answers `accept(document)` (false: rejected). */
const start = (options: SseOptions = {}, accept: (document: unknown) => unknown = () => undefined) => {
  const net = scriptedFetch()
  const docs: unknown[] = []
  const metas: (EmitMeta | undefined)[] = []
  const errors: FlagstageError[] = []
  let onError: (error: FlagstageError) => void = () => {}
  const stop = sse(STREAM, {
    fetch: net.fetch, retryBaseMs: 1_000, retryMaxMs: 1_000, random: () => 1, jitter: 0,
    fallbackUrl: FALLBACK, fallbackPollMs: 10_000, idleTimeoutMs: 60_000, ...options,
  }).start(
    (document, meta) => {
      docs.push(document)
      metas.push(meta)
      return accept(document)
    },
    (error) => {
      errors.push(error)
      onError(error)
    },
  )
  const codes = (): string[] => errors.map((e) => e.code)
  const urls = (): string[] => net.calls.map((c) => c.url)
  /** Answer the pending stream call with an open stream. */
  const open = async (n: number): Promise<(text: string) => Promise<void>> => {
    const s = stream()
    net.answer(n, s.res)
    await settle()
    return async (text) => {
      s.write(text)
      await settle()
    }
  }
  return { net, docs, metas, errors, codes, urls, stop, open, onError: (f: typeof onError) => (onError = f) }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('sse() patch events without a usable base', () => {
  it.each([
    ['a patch before any config', [], { baseRevision: 'r1', patch: {} }],
    ['a patch whose data is null', [event('config', config('r1'), 'r1')], null],
    ['a patch without baseRevision on a config without revision', [event('config', config(), 'e1')], { patch: { flags: { a: {} } } }],
  ])('reports %s as PATCH_MISMATCH, refetches, and keeps the stream', async (_what, before, patch) => {
    const s = start()
    await settle()
    const write = await s.open(0)
    for (const text of before) await write(text)
    await write(event('patch', patch, 'e2'))
    expect(s.codes()).toEqual(['PATCH_MISMATCH'])
    expect(s.urls()).toEqual([STREAM, FALLBACK])
    expect(s.net.calls[0]!.signal.aborted).toBe(false)
  })

  it('never patches a document the client rejected (nor resumes from its id)', async () => {
    const s = start({}, (document) => (document as { revision?: string } | undefined)?.revision !== 'bad' && undefined)
    await settle()
    const write = await s.open(0)
    await write(event('config', config('r1'), 'r1'))
    await write(event('config', config('bad'), 'bad'))
    await write(event('patch', { baseRevision: 'bad', patch: { revision: 'bad2' } }, 'bad2'))
    expect(s.codes()).toEqual(['PATCH_MISMATCH'])
    await write(event('patch', { baseRevision: 'r1', patch: { revision: 'r2' } }, 'r2'))
    expect(s.docs.at(-1)).toEqual(config('r2'))
  })

  it('starts no refetch when an error listener stops the source at the PATCH_MISMATCH', async () => {
    const s = start()
    s.onError(() => s.stop())
    await settle()
    const write = await s.open(0)
    await write(event('patch', { baseRevision: 'r0', patch: {} }, 'e1'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(s.urls()).toEqual([STREAM])
  })

  it('aborts a refetch in flight when stopped, and emits nothing after', async () => {
    const s = start()
    await settle()
    const write = await s.open(0)
    await write(event('patch', { baseRevision: 'r0', patch: {} }, 'e1'))
    expect(s.urls()).toEqual([STREAM, FALLBACK])
    s.stop()
    expect(s.net.calls[1]!.signal.aborted).toBe(true)
  })
})

describe('sse() events', () => {
  it('emits an event without an id with no meta', async () => {
    const s = start()
    await settle()
    const write = await s.open(0)
    await write(event('config', config('r1')))
    expect(s.docs).toEqual([config('r1')])
    expect(s.metas).toEqual([undefined])
  })

  it('takes no offence at an invalid retry: line or an unknown field', async () => {
    const s = start()
    await settle()
    const write = await s.open(0)
    await write('retry: soon\nfoo: bar\n\n' + event('config', config('r1'), 'r1'))
    expect(s.errors).toEqual([])
    expect(s.docs).toEqual([config('r1')])
    expect(s.urls()).toEqual([STREAM])
  })

  it('takes an event of exactly maxBytes (in UTF-8) and rejects one byte more', async () => {
    const doc = config('r1', { é: {} }) // "é" is 2 bytes
    const size = new TextEncoder().encode(JSON.stringify(doc)).length
    const s = start({ maxBytes: size })
    await settle()
    const write = await s.open(0)
    await write(event('config', doc, 'r1'))
    expect(s.docs).toEqual([doc])
    const over = start({ maxBytes: size - 1 })
    await settle()
    const writeOver = await over.open(0)
    await writeOver(event('config', doc, 'r1'))
    expect(over.codes()).toEqual(['PAYLOAD_TOO_LARGE'])
  })
})

describe('sse() fallback across outages', () => {
  it('polls the fallback again on a second outage, and resumes from a fallback document\'s revision', async () => {
    const s = start()
    await settle()
    s.net.answer(0, new Response('', { status: 503 })) // down: reconnect in 1 s, fallback now
    await settle()
    expect(s.urls()).toEqual([STREAM, FALLBACK])
    s.net.answer(1, jsonResponse(config('f1')))
    await settle()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(s.urls()).toEqual([STREAM, FALLBACK, STREAM])
    expect(s.net.calls[2]!.headers.get('last-event-id')).toBe('f1')
    const up = stream()
    s.net.answer(2, up.res) // back: the fallback stops
    await settle()
    up.write(event('config', config('r2'), 'r2'))
    await vi.advanceTimersByTimeAsync(20_000)
    expect(s.urls()).toEqual([STREAM, FALLBACK, STREAM])
    up.close() // down again: the fallback polls again, at once
    await settle()
    expect(s.urls()).toEqual([STREAM, FALLBACK, STREAM, FALLBACK])
  })

  /** Stream up with `first`, then down: the fallback answers `fallback`; returns the reconnect's call. */
  const outage = async (first: string, fallback: object, accept?: (document: unknown) => unknown) => {
    const s = start({}, accept)
    await settle()
    const up = stream()
    s.net.answer(0, up.res)
    await settle()
    up.write(first)
    await settle()
    up.close()
    await settle()
    expect(s.urls()).toEqual([STREAM, FALLBACK])
    s.net.answer(1, jsonResponse(fallback))
    await settle()
    await vi.advanceTimersByTimeAsync(1_000)
    return { s, reconnect: s.net.calls[2]! }
  }

  it('keeps the stream\'s last id when the fallback document has no revision', async () => {
    const { reconnect } = await outage(event('config', config('r1'), 'r1'), config())
    expect(reconnect.headers.get('last-event-id')).toBe('r1')
  })

  it('never patches, nor resumes from, a fallback document the client rejected', async () => {
    const { s, reconnect } = await outage(event('config', config('r1'), 'r1'), config('bad'), (d) => (d as { revision?: string } | undefined)?.revision !== 'bad' && undefined)
    expect(reconnect.headers.get('last-event-id')).toBe('r1')
    const write = await s.open(2)
    await write(event('patch', { baseRevision: 'bad', patch: { revision: 'bad2' } }, 'bad2'))
    expect(s.codes().at(-1)).toBe('PATCH_MISMATCH')
  })
})
