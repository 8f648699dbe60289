import { connect } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'
import { createClient, FlagstageError, mergePatch, sse } from 'flagstage'
import type { Client, Config } from 'flagstage'
import { streamHandler } from 'flagstage/server'
import type { StreamHandler } from 'flagstage/server'
import { toNode } from 'flagstage/node'
import { createTestClock } from 'flagstage/testing'
import { manualSource } from '../helpers/manual-source.ts'
import { closeServers, startServer } from '../helpers/server.ts'
import { soon } from '../sources/record.ts'
import { config, events, framer, reader, SECRET } from './stream-helpers.ts'

const clients: Client[] = []
const handlers: StreamHandler[] = []
const track = <C extends Client>(c: C): C => (clients.push(c), c)
const stream = (options: Parameters<typeof streamHandler>[0]): StreamHandler => {
  const handler = streamHandler(options)
  handlers.push(handler)
  return handler
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  for (const h of handlers.splice(0)) h.close()
  await closeServers()
  vi.restoreAllMocks()
})

/** A server-side client the test publishes to by hand. */
const origin = (first?: Config) => {
  const source = manualSource()
  const client = track(createClient({ source: source.source }))
  if (first) source.push(first)
  return { client, publish: (doc: Config) => source.push(doc) }
}
const get = (headers: Record<string, string> = {}): Request => new Request('http://flags.test/stream', { headers })
const fast = { retryBaseMs: 5, retryMaxMs: 20, fallbackPollMs: 60_000, timeoutMs: 15_000, idleTimeoutMs: 15_000 }

describe('streamHandler() on the Fetch API', () => {
  it('answers an event stream with no-buffering headers, retry: and the whole config on connect', async () => {
    const { client } = origin(config('r1'))
    const response = await stream({ client, retryMs: 1234 })(get())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    expect(response.headers.get('cache-control')).toMatch(/no-cache/)
    const frames = await reader(response).until(2)
    expect(frames[0]).toEqual({ retry: '1234' })
    expect(frames[1]).toMatchObject({ event: 'config', id: 'r1' })
    expect(JSON.parse(frames[1]!.data!)).toEqual(config('r1'))
  })

  it('sends a merge patch per change, the whole config when the patch would be larger', async () => {
    const { client, publish } = origin(config('r1'))
    const r = reader(await stream({ client })(get()))
    await r.until(2)
    publish(config('r2', { 'plain-3': { enabled: true } }))
    const [patch] = events((await r.until(3)).slice(2))
    expect(patch).toMatchObject({ event: 'patch', id: 'r2' })
    const body = JSON.parse(patch!.data!)
    expect(body).toEqual({ baseRevision: 'r1', patch: { revision: 'r2', flags: { 'plain-3': { enabled: true } } } })
    expect(mergePatch(config('r1'), body.patch)).toEqual(config('r2', { 'plain-3': { enabled: true } }))
    // A rewrite of everything: the patch (every key, plus deletions) is larger than the config.
    const small: Config = { schemaVersion: 1, revision: 'r3', flags: { other: { enabled: true } } }
    publish(small)
    const [whole] = events((await r.until(4)).slice(3))
    expect(whole).toMatchObject({ event: 'config', id: 'r3' })
    expect(JSON.parse(whole!.data!)).toEqual(small)
  })

  it('computes each patch once per change, not once per connection', async () => {
    const { client, publish } = origin(config('r1'))
    const handler = stream({ client })
    const readers = await Promise.all(Array.from({ length: 5 }, async () => reader(await handler(get()))))
    await Promise.all(readers.map((r) => r.until(2)))
    const stringify = vi.spyOn(JSON, 'stringify')
    publish(config('r2', { 'plain-1': { enabled: true } }))
    await Promise.all(readers.map((r) => r.until(3)))
    // The client's own work aside, the handler serialised the config and the patch once each.
    const calls = stringify.mock.calls.filter(([value]) => (value as { baseRevision?: string })?.baseRevision === 'r1')
    expect(calls).toHaveLength(1)
    for (const r of readers) expect(r.frames[2]).toMatchObject({ event: 'patch', id: 'r2' })
  })

  it('resumes from Last-Event-ID: nothing when current, a patch from the previous revision, the config otherwise', async () => {
    const { client, publish } = origin(config('r1'))
    const handler = stream({ client, heartbeatMs: 0 })
    publish(config('r2', { 'plain-1': { enabled: true } }))
    const current = reader(await handler(get({ 'last-event-id': 'r2' })))
    await current.until(1)
    const previous = reader(await handler(get({ 'last-event-id': 'r1' })))
    const unknown = reader(await handler(get({ 'last-event-id': 'r0' })))
    expect((await previous.until(2))[1]).toMatchObject({ event: 'patch', id: 'r2' })
    expect((await unknown.until(2))[1]).toMatchObject({ event: 'config', id: 'r2' })
    // The current one got retry: only; the next release is the next thing it reads.
    publish(config('r3', { 'plain-1': { enabled: true }, 'plain-2': { enabled: true } }))
    expect(events(await current.until(2))).toEqual([expect.objectContaining({ event: 'patch', id: 'r3' })])
  })

  it('sends `:` heartbeats on an idle stream', async () => {
    const { client } = origin(config('r1'))
    const r = reader(await stream({ client, heartbeatMs: 5 })(get()))
    const frames = await r.until(4)
    expect(frames.slice(2)).toEqual([{ comment: '' }, { comment: '' }])
  })

  it('gives a slow reader the latest state, never a backlog of releases', async () => {
    const { client, publish } = origin(config('r1'))
    const handler = stream({ client, heartbeatMs: 1 })
    const r = reader(await handler(get()))
    await r.until(2)
    // 500 releases and heartbeats while it reads nothing.
    for (let i = 2; i <= 500; i++) publish(config(`r${i}`, { [`plain-${i % 20}`]: { enabled: i % 3 === 0 } }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    await r.next()
    // One read gets one chunk: the latest config, whole (it had r1, the last patch starts at r499).
    expect(r.frames.slice(2)).toEqual([expect.objectContaining({ event: 'config', id: 'r500' })])
    expect(JSON.parse(r.frames[2]!.data!)).toEqual(config('r500', { 'plain-0': { enabled: false } }))
  })

  it('waits for a cold client, then streams its first config when it comes', async () => {
    const { client, publish } = origin()
    const r = reader(await stream({ client, readyTimeoutMs: 5 })(get()))
    await r.until(1)
    publish(config('r1'))
    expect(events(await r.until(2))).toEqual([expect.objectContaining({ event: 'config', id: 'r1' })])
  })

  it('ends every stream on close(); later requests get 503', async () => {
    const { client } = origin(config('r1'))
    const handler = stream({ client })
    const readers = await Promise.all([1, 2, 3].map(async () => reader(await handler(get()))))
    await Promise.all(readers.map((r) => r.until(2)))
    expect(handler.connections).toBe(3)
    handler.close()
    await Promise.all(readers.map((r) => r.until(99)))
    expect(readers.map((r) => r.done)).toEqual([true, true, true])
    expect(handler.connections).toBe(0)
    expect((await handler(get())).status).toBe(503)
  })

  it('forgets a connection whose reader cancels or whose request aborts', async () => {
    const { client } = origin(config('r1'))
    const handler = stream({ client })
    const a = reader(await handler(get()))
    const controller = new AbortController()
    const b = reader(await handler(new Request('http://flags.test/stream', { signal: controller.signal })))
    await Promise.all([a.until(2), b.until(2)])
    await a.cancel()
    controller.abort()
    expect(handler.connections).toBe(0)
  })

  it('answers 405 to other methods', async () => {
    const { client } = origin(config('r1'))
    const response = await stream({ client })(new Request('http://flags.test/stream', { method: 'POST', body: '{}' }))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
  })
})

describe('streamHandler() in evaluated mode', () => {
  const byHeaders = (request: Request) => ({ email: request.headers.get('x-email') ?? undefined, country: request.headers.get('x-country') ?? undefined })

  it('streams each connection its own snapshot, re-evaluated on change, and never the rules', async () => {
    const { client, publish } = origin(config('r1'))
    const handler = stream({ client, evaluated: true, context: byHeaders })
    const staff = reader(await handler(get({ 'x-email': SECRET })))
    const german = reader(await handler(get({ 'x-country': 'DE' })))
    const [s1, g1] = [events(await staff.until(2))[0]!, events(await german.until(2))[0]!]
    expect(JSON.parse(s1.data!).flags.beta).toEqual({ variant: 'on', value: true, enabled: true })
    expect(JSON.parse(g1.data!).flags.button).toMatchObject({ variant: 'treatment', value: 'green' })
    expect(JSON.parse(g1.data!).flags.beta).toMatchObject({ enabled: false })
    publish(config('r2', { beta: { enabled: false } }))
    const s2 = events(await staff.until(3))[1]!
    expect(s2.event).toBe('patch')
    expect(JSON.parse(s2.data!)).toEqual({ baseRevision: 'r1', patch: { revision: 'r2', flags: { beta: { variant: 'off', value: false, enabled: false } } } })
    const wire = [...staff.frames, ...(await german.until(3))].map((f) => f.data ?? '').join('\n')
    for (const leak of [SECRET, 'segments', 'rules', 'staff', '"DE"']) expect(wire).not.toContain(leak)
  })

  it('streams what the clock changes: a schedule boundary reaches every connection whose answer moved', async () => {
    const clock = createTestClock('2026-12-01T08:00:00Z')
    const source = manualSource()
    const client = track(createClient({ source: source.source, now: clock.now, timer: clock.timer }))
    source.push({
      schemaVersion: 1,
      revision: 'r1',
      flags: {
        launch: { enabled: true, schedule: { from: '2026-12-01T09:00:00Z' }, rules: [{ serve: 'on' }] },
        staff: { enabled: true, rules: [{ if: { attr: 'email', op: 'endsWith', value: '@example.com' }, serve: 'on' }] },
      },
    })
    const handler = stream({ client, evaluated: true, context: byHeaders, heartbeatMs: 0 })
    const staff = reader(await handler(get({ 'x-email': SECRET })))
    const first = events(await staff.until(2))[0]!
    expect(JSON.parse(first.data!).flags.launch).toMatchObject({ enabled: false })
    clock.advance(30 * 60 * 1000) // 08:30: nothing moves, nothing is sent
    clock.advance(30 * 60 * 1000 + 1) // 09:00: the launch
    const moved = events(await staff.until(3))[1]!
    // Same revision, so no merge patch (its base would be ambiguous): the whole snapshot, under a new id.
    expect(moved.event).toBe('config')
    expect(JSON.parse(moved.data!).flags.launch).toEqual({ variant: 'on', value: true, enabled: true })
    expect(JSON.parse(moved.data!).revision).toBe('r1')
    expect(moved.id).not.toBe(first.id)
    expect(staff.frames).toHaveLength(3) // retry, the snapshot, the launch: the 08:30 check sent nothing
  })

  it('a status-only notice (a 304 poll, a failed fetch) costs no connection a re-evaluation', async () => {
    const source = manualSource()
    const client = track(createClient({ source: source.source }))
    source.push(config('r1'))
    const evaluations = vi.spyOn(client, 'forContext')
    const handler = stream({ client, evaluated: true, context: byHeaders, heartbeatMs: 0 })
    const connections = await Promise.all([SECRET, 'a@b.test', 'c@d.test'].map(async (email) => reader(await handler(get({ 'x-email': email })))))
    for (const r of connections) await r.until(2)
    const before = evaluations.mock.calls.length
    expect(before).toBe(3)
    // Every connection is waiting on a read, so any notice that reached the stream would evaluate it.
    const next = Promise.all(connections.map((r) => r.until(3)))
    await new Promise((resolve) => setTimeout(resolve, 20))
    for (let i = 0; i < 5; i++) source.push(undefined, { notModified: true })
    source.fail(new FlagstageError('NETWORK_ERROR', 'connection refused'))
    expect(client.status().state).toBe('stale')
    expect(evaluations.mock.calls.length).toBe(before)
    // A new config re-evaluates each connection once.
    source.push(config('r2', { beta: { enabled: false } }))
    await next
    expect(evaluations.mock.calls.length).toBe(before + 3)
  })

  it('a reconnect with the id of its own answer gets nothing; another context gets its snapshot', async () => {
    const { client } = origin(config('r1'))
    const handler = stream({ client, evaluated: true, context: byHeaders, heartbeatMs: 0 })
    const first = events(await reader(await handler(get({ 'x-email': SECRET }))).until(2))[0]!
    expect(first.id).toMatch(/^r1~/)
    const again = reader(await handler(get({ 'x-email': SECRET, 'last-event-id': first.id! })))
    await again.until(1)
    const other = reader(await handler(get({ 'x-country': 'DE', 'last-event-id': first.id! })))
    expect(events(await other.until(2))[0]).toMatchObject({ event: 'config' })
    expect(again.frames).toEqual([{ retry: '1000' }])
  })
})

describe('streamHandler() over node:http with sse() clients', () => {
  it('brings many sse() clients the config on connect and every release after', async () => {
    const { client, publish } = origin(config('r1'))
    const handler = stream({ client })
    const server = await startServer(toNode(handler))
    const subscribers = Array.from({ length: 25 }, () => track(createClient({ source: sse(`${server.origin}/stream`, fast) })))
    await vi.waitFor(() => expect(subscribers.map((s) => s.getConfig()?.revision)).toEqual(subscribers.map(() => 'r1')), soon)
    const seen = subscribers.map(() => [] as string[])
    subscribers.forEach((s, i) => s.on('change', (e) => seen[i]!.push(`${e.revision}:${e.keys.join(',')}`)))
    publish(config('r2', { 'plain-1': { enabled: true, rules: [{ serve: 'on' }] } }))
    await vi.waitFor(() => expect(seen.every((s) => s.length === 1)).toBe(true), soon)
    expect(new Set(seen.flat())).toEqual(new Set(['r2:plain-1']))
    expect(subscribers.every((s) => s.isEnabled('plain-1'))).toBe(true)
    expect(handler.connections).toBe(25)
  })

  it('resumes with Last-Event-ID after a drop and catches up on what it missed', async () => {
    const { client, publish } = origin(config('r1'))
    const server = await startServer(toNode(stream({ client, retryMs: 5 })))
    const subscriber = track(createClient({ source: sse(`${server.origin}/stream`, fast) }))
    subscriber.on('error', () => {}) // the drop is reported as NETWORK_ERROR
    await vi.waitFor(() => expect(subscriber.getConfig()?.revision).toBe('r1'), soon)
    await server.stop()
    publish(config('r2', { 'plain-1': { enabled: true } }))
    publish(config('r3', { 'plain-1': { enabled: true }, 'plain-3': { enabled: true } }))
    await server.restart()
    await vi.waitFor(() => expect(subscriber.getConfig()).toEqual(config('r3', { 'plain-1': { enabled: true }, 'plain-3': { enabled: true } })), soon)
    const resumed = server.hits.filter((hit) => hit.path === '/stream').at(-1)!
    expect(resumed.headers['last-event-id']).toBe('r1')
  })

  it('an evaluated stream feeds a browser-style client the answers only', async () => {
    const { client, publish } = origin(config('r1'))
    const server = await startServer(toNode(stream({ client, evaluated: true, context: (r) => ({ email: r.headers.get('x-email') ?? undefined }) })))
    const browser = track(createClient({ source: sse(`${server.origin}/stream`, { ...fast, headers: { 'x-email': SECRET } }) }))
    await vi.waitFor(() => expect(browser.isEnabled('beta')).toBe(true), soon)
    expect(browser.getConfig()).toBeUndefined() // a snapshot, not a config
    publish(config('r2', { beta: { enabled: false } }))
    await vi.waitFor(() => expect(browser.isEnabled('beta')).toBe(false), soon)
  })

  it('a connection that stops reading does not queue: after resuming it reads a few frames, ending at the latest', SLOW, async () => {
    const big = (i: number): Config => config(`r${i}`, Object.fromEntries(Array.from({ length: 2_000 }, (_, k) => [`big-${k}-${'x'.repeat(200)}`, { enabled: (k + i) % 2 === 0 }])))
    const { client, publish } = origin(big(1))
    const handler = stream({ client, heartbeatMs: 0 })
    const server = await startServer(toNode(handler))
    const socket = connect(server.port, '127.0.0.1')
    const f = framer()
    let bytes = 0
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      f.feed(chunk.toString('latin1'))
    })
    socket.write(`GET /stream HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n`)
    await vi.waitFor(() => expect(f.frames.some((x) => x.id === 'r1')).toBe(true), soon)
    socket.pause()
    const releases = 60 // ~40 MB of whole configs (each one rewrites every flag), far above what loopback sockets buffer
    for (let i = 2; i <= releases + 1; i++) {
      publish(big(i))
      await new Promise((resolve) => setImmediate(resolve))
    }
    socket.resume()
    await vi.waitFor(() => expect(f.frames.at(-1)?.id).toBe(`r${releases + 1}`), soon)
    const delivered = events(f.frames).length - 1
    expect(delivered).toBeLessThan(releases / 2)
    expect(bytes).toBeLessThan((releases / 2) * JSON.stringify(big(1)).length)
    socket.destroy()
  })
})
