// sse(): drops, restarts, idle streams, retry:, the polling fallback and stop.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { closeServers, json, sleep, startServer } from '../helpers/server.ts'
import { config, docs, event, fallbackHits, open, routes, start, streamHits } from './sse-server.ts'
import { soon, stopSources } from './record.ts'

describe('sse() reconnecting', () => {
  afterEach(async () => {
    stopSources()
    await closeServers()
  })

  it('never emits an event cut off by a dropped stream, and resumes with Last-Event-ID', async () => {
    const server = await startServer(
      routes(
        (res, n) => {
          if (n === 0) {
            open(res).write(event('config', config('r1'), 'r1') + 'id: r2\nevent: config\ndata: {"schemaVersion":1,"revision":"r2","fl')
            setTimeout(() => res.socket?.destroy(), 30)
          } else open(res).write(event('config', config('r2', { b: {} }), 'r2'))
        },
        () => config('r1'),
      ),
    )
    const rec = start(server)
    await vi.waitFor(() => expect(rec.docs).toContainEqual(config('r2', { b: {} })), soon)
    expect(rec.codes()[0]).toBe('NETWORK_ERROR')
    for (const doc of docs(rec)) expect([config('r1'), config('r2', { b: {} })]).toContainEqual(doc)
    expect(streamHits(server)[1]?.headers['last-event-id']).toBe('r1')
  })

  it('polls fallbackUrl while the stream is down and stops polling once it is back', async () => {
    let up = false
    const server = await startServer(
      routes((res) => (up ? open(res).write(event('config', config('r2'), 'r2')) : res.writeHead(503).end()), () => config('r1')),
    )
    const rec = start(server)
    await vi.waitFor(() => expect(fallbackHits(server).length).toBeGreaterThanOrEqual(3), soon)
    expect(rec.docs).toContainEqual(config('r1'))
    expect(rec.errors.find((e) => e.code === 'HTTP_ERROR')?.status).toBe(503)
    up = true
    await vi.waitFor(() => expect(rec.docs).toContainEqual(config('r2')), soon)
    const polled = fallbackHits(server).length
    await sleep(150)
    expect(fallbackHits(server).length).toBeLessThanOrEqual(polled + 1) // one may have been in flight
    expect(streamHits(server).at(-1)?.headers['last-event-id']).toBe('r1') // learned from the fallback
  })

  it('passes the fallback\'s 304s on as { notModified } and still patches on top of the polled config', async () => {
    let up = false
    const base = config('r1', { a: { enabled: true } })
    const server = await startServer((req, res) => {
      if (req.url === '/stream') {
        if (!up) return void res.writeHead(503).end()
        return void open(res).write(event('patch', { baseRevision: 'r1', patch: { revision: 'r2', flags: { b: { enabled: true } } } }, 'r2'))
      }
      if (req.headers['if-none-match'] === '"e1"') return void res.writeHead(304).end()
      json(res, base, { etag: '"e1"' })
    })
    const rec = start(server)
    await vi.waitFor(() => expect(rec.metas.filter((meta) => meta?.notModified).length).toBeGreaterThanOrEqual(2), soon)
    expect(rec.docs[0]).toEqual(base)
    expect(rec.metas[0]).toEqual({ etag: '"e1"' })
    rec.docs.forEach((doc, i) => doc === undefined && expect(rec.metas[i]).toEqual({ notModified: true }))
    up = true
    await vi.waitFor(() => expect(rec.docs).toContainEqual(config('r2', { a: { enabled: true }, b: { enabled: true } })), soon)
    expect(rec.codes()).not.toContain('PATCH_MISMATCH')
  })

  it('recovers from a server restart on the same port', async () => {
    let revision = 'r1'
    const server = await startServer(routes((res) => open(res).write(event('config', config(revision), revision)), () => config(revision)))
    const rec = start(server)
    await vi.waitFor(() => expect(rec.docs).toEqual([config('r1')]), soon)
    await server.stop()
    await vi.waitFor(() => expect(rec.errors.length).toBeGreaterThanOrEqual(2), soon)
    expect(rec.codes()).toContain('NETWORK_ERROR')
    revision = 'r2'
    await server.restart()
    await vi.waitFor(() => expect(rec.metas).toContainEqual({ etag: 'r2' }), soon) // from the stream, not the fallback
    expect(rec.docs).toContainEqual(config('r2'))
    // Last-Event-ID: r1, or r2 when the fallback poll got there first.
    expect(['r1', 'r2']).toContain(streamHits(server).at(-1)?.headers['last-event-id'])
  })

  it('tells the client its config is current when the stream is back (notModified)', async () => {
    const server = await startServer(
      routes(
        (res, n) => {
          open(res).write(n === 0 ? event('config', config('r1'), 'r1') : ': nothing new\n\n')
          if (n === 0) setTimeout(() => res.end(), 20)
        },
        () => config('r1'),
      ),
    )
    const rec = start(server, { fallbackUrl: `${server.origin}/missing` })
    await vi.waitFor(() => expect(streamHits(server).length).toBeGreaterThanOrEqual(2), soon)
    await vi.waitFor(() => expect(rec.metas).toContainEqual({ notModified: true }), soon)
    expect(rec.docs.at(-1)).toBeUndefined()
  })

  it('reconnects after idleTimeoutMs without any data, reporting TIMEOUT', async () => {
    const server = await startServer(routes((res) => open(res).write(event('config', config('r1'), 'r1')), () => config('r1')))
    const rec = start(server, { idleTimeoutMs: 100 })
    await vi.waitFor(() => expect(streamHits(server).length).toBeGreaterThanOrEqual(2), soon)
    expect(rec.codes()[0]).toBe('TIMEOUT')
  })

  it('keeps a stream that only sends comments alive', async () => {
    const server = await startServer(
      routes((res, _n, req) => {
        open(res).write(event('config', config('r1'), 'r1'))
        const beat = setInterval(() => res.write(':\n\n'), 30)
        req.on('close', () => clearInterval(beat))
      }, () => config('r1')),
    )
    // Comments every 30 ms against a 1.5 s idle timeout: 50 missed beats in a row before a false TIMEOUT.
    const rec = start(server, { idleTimeoutMs: 1_500 })
    await sleep(3_500)
    expect(streamHits(server)).toHaveLength(1)
    expect(rec.errors).toEqual([])
  })

  it('waits at least the server `retry:` before reconnecting', async () => {
    const server = await startServer(
      routes((res) => open(res).end('retry: 400\n' + event('config', config('r1'), 'r1')), () => config('r1')),
    )
    const rec = start(server)
    await vi.waitFor(() => expect(streamHits(server).length).toBeGreaterThanOrEqual(2), soon)
    const [first, second] = streamHits(server)
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(390)
    expect(rec.codes()[0]).toBe('NETWORK_ERROR')
  })

  it('closes the stream and stops every timer and poll when stopped', async () => {
    const closed: string[] = []
    let fail = false
    const server = await startServer(
      routes((res, _n, req) => {
        if (fail) return void res.writeHead(500).end()
        open(res).write(event('config', config('r1'), 'r1'))
        req.on('close', () => closed.push('stream'))
      }, () => config('r1')),
    )
    const rec = start(server)
    await vi.waitFor(() => expect(rec.docs).toHaveLength(1), soon)
    rec.stop()
    await vi.waitFor(() => expect(closed).toEqual(['stream']), soon)
    // Also while reconnecting and polling the fallback:
    fail = true
    const down = start(server)
    await vi.waitFor(() => expect(fallbackHits(server).length).toBeGreaterThanOrEqual(2), soon)
    down.stop()
    const hits = server.hits.length
    const errors = down.errors.length
    await sleep(150)
    expect(server.hits.length).toBeLessThanOrEqual(hits + 1)
    expect(down.errors.length).toBe(errors)
  })
})
