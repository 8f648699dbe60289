// sse() behind a pub/sub engine that numbers events itself (nchan: ids like `1796159991:0`, `: hi` comments).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { closeServers, startServer } from '../helpers/server.ts'
import { config, docs, event, fallbackHits, open, routes, start, streamHits } from './sse-server.ts'
import { soon, stopSources } from './record.ts'

describe('sse() with event ids that are not revisions', () => {
  afterEach(async () => {
    stopSources()
    await closeServers()
  })

  it('applies patches by the document revision, not the event id, and ignores `: hi` comments', async () => {
    const server = await startServer(routes((res) => {
      open(res).write(`: hi\n\n${event('config', config('r1'), '1796159991:0')}`)
      res.write(event('patch', { baseRevision: 'r1', patch: { revision: 'r2', flags: { a: { enabled: true } } } }, '1796159991:1'))
    }, () => config('r0')))
    const rec = start(server)
    await vi.waitFor(() => expect(docs(rec)).toEqual([config('r1'), config('r2', { a: { enabled: true } })]), soon)
    expect(rec.metas.filter(Boolean).map((m) => m!.etag)).toEqual(['1796159991:0', '1796159991:1'])
    expect(rec.codes()).toEqual([])
  })

  it('keeps the stream\'s own id for Last-Event-ID after a fallback document, so the stream replays what it missed', async () => {
    let phase: 'up' | 'down' | 'back' = 'up'
    const server = await startServer(routes((res) => {
      if (phase === 'down') return void res.writeHead(503).end()
      if (phase === 'up') {
        open(res).write(event('config', config('r1'), '1796159991:0'))
        phase = 'down'
        setTimeout(() => res.socket?.destroy(), 10)
      } else open(res).write(event('config', config('r3'), '1796159991:2'))
    }, () => config('r2')))
    const rec = start(server)
    await vi.waitFor(() => expect(docs(rec)).toContainEqual(config('r2')), soon) // from the fallback while down
    await vi.waitFor(() => expect(fallbackHits(server).length).toBeGreaterThanOrEqual(2), soon)
    phase = 'back'
    await vi.waitFor(() => expect(docs(rec).at(-1)).toEqual(config('r3')), soon)
    const resumed = streamHits(server).at(-1)!
    expect(resumed.headers['last-event-id']).toBe('1796159991:0')
  })
})
