// Fan-out through Debian's nginx + nchan: `flagstage publish` writes the static file and POSTs the config
// to nchan's publisher location; clients follow nchan's EventSource location with sse(), the static file
// as fallbackUrl. nchan's event ids (`1796159991:0`) are not revisions, and it sends `: hi` comments.
import { writeFileSync } from 'node:fs'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, sse } from 'flagstage'
import type { Client, Config, SseOptions } from 'flagstage'
import { main } from '../../src/cli/main.ts'
import type { Io } from '../../src/cli/io.ts'
import { startNchan } from '../helpers/nchan.ts'
import type { Nchan } from '../helpers/nchan.ts'
import { requireTool } from '../helpers/requires.ts'
import { soon } from '../sources/record.ts'

const NGINX = requireTool('nginx')
const NCHAN = requireTool('nchan')

const config = (revision: string, n: number): Config => ({
  schemaVersion: 1, revision, flags: { release: { enabled: true, variants: { v: n }, offVariant: 'v' }, [`added-${n}`]: { enabled: true, rules: [{ serve: 'on' }] } },
})
const fast: SseOptions = { retryBaseMs: 5, retryMaxMs: 20, fallbackPollMs: 30, timeoutMs: 15_000, idleTimeoutMs: 15_000 }

// Skipped where nginx or libnginx-mod-nchan is not installed (apt-get install -y nginx libnginx-mod-nchan); fails under CI instead.
describe.skipIf(!NGINX || !NCHAN)('sse() through nginx + nchan, published by flagstage publish', () => {
  let nchan: Nchan
  let src = ''
  const clients: Client[] = []
  const track = (c: Client): Client => (clients.push(c), c.on('error', () => {}), c)
  const io = (): Io => ({ out: () => {}, err: (t) => void process.stderr.write(t), readFile: (p) => readFileSync(p, 'utf8'), color: false, now: Date.now, env: {} })
  /** The release pipeline: static file first, then nchan. */
  const publish = async (doc: Config, targets: ('dir' | 'nchan')[] = ['dir', 'nchan']): Promise<void> => {
    const file = join(src, `${doc.revision}.json`)
    writeFileSync(file, JSON.stringify(doc))
    const to = targets.flatMap((t) => ['--to', t === 'dir' ? `dir:${nchan.www}` : `nchan:${nchan.origin}/pub/flags`])
    expect(await main(['publish', file, ...to, '--users', '10'], io())).toBe(0)
  }
  const subscribe = (options: SseOptions = {}): Client =>
    track(createClient({ source: sse(`${nchan.origin}/sub/flags`, { ...fast, fallbackUrl: `${nchan.origin}/flags.json`, ...options }) }))
  const value = (c: Client): unknown => c.value('release', -1)

  beforeAll(async () => {
    nchan = await startNchan(NGINX!, NCHAN!)
    src = mkdtempSync(join(tmpdir(), 'flagstage-nchan-src-'))
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.close()
    nchan.streamDown(false)
  })
  afterAll(async () => {
    await nchan?.stop()
    rmSync(src, { recursive: true, force: true })
  })

  it('publish → every subscriber updated', async () => {
    await publish(config('r1', 1))
    const subscribers = Array.from({ length: 20 }, () => subscribe({ fallbackPollMs: 60_000 }))
    await vi.waitFor(() => expect(subscribers.map(value)).toEqual(subscribers.map(() => 1)), soon)
    const changes = subscribers.map(() => [] as (string | undefined)[])
    subscribers.forEach((s, i) => s.on('change', (e) => changes[i]!.push(e.revision)))
    await publish(config('r2', 2))
    await vi.waitFor(() => expect(subscribers.map(value)).toEqual(subscribers.map(() => 2)), soon)
    expect(changes).toEqual(subscribers.map(() => ['r2']))
  })

  it('a subscriber that misses two releases resumes with Last-Event-ID (nchan\'s id, not a revision) and catches up', async () => {
    await publish(config('r3', 3))
    let cut = false
    const open = new Set<AbortController>()
    const streamIds: (string | null)[] = []
    // A network partition for this one client: while `cut`, its requests fail and its stream drops.
    const partitioned: typeof fetch = async (input, init) => {
      const url = String(input)
      // The static file stays out of reach for this client: it can only catch up through the stream.
      if (cut || url.endsWith('/flags.json')) throw new TypeError('fetch failed: partitioned')
      if (url.endsWith('/sub/flags')) streamIds.push(new Headers(init?.headers).get('last-event-id'))
      const controller = new AbortController()
      open.add(controller)
      const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
      return fetch(input, { ...init, signal })
    }
    const c = subscribe({ fetch: partitioned, fallbackPollMs: 60_000 })
    const seen: (string | undefined)[] = []
    c.on('config', (e) => seen.push(e.revision))
    await vi.waitFor(() => expect(value(c)).toBe(3), soon)
    cut = true
    for (const controller of open) controller.abort()
    await publish(config('r4', 4))
    await publish(config('r5', 5))
    cut = false
    await vi.waitFor(() => expect(c.getConfig()).toEqual(config('r5', 5)), soon)
    const resumedWith = streamIds.at(-1)
    expect(resumedWith).toMatch(/^\d+:\d+$/) // nchan's message id of r3, not a revision
    expect(seen.at(-1)).toBe('r5')
  })

  it('the static fallback serves while the stream is down, and the stream takes over again', async () => {
    await publish(config('r6', 6))
    // One client already streaming (its connection can be dropped), and one that starts while the stream is down.
    const streams = new Set<AbortController>()
    const droppable: typeof fetch = (input, init) => {
      const controller = new AbortController()
      if (String(input).endsWith('/sub/flags')) streams.add(controller)
      return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal })
    }
    const old = subscribe({ fetch: droppable })
    await vi.waitFor(() => expect(value(old)).toBe(6), soon)
    nchan.streamDown(true) // the subscriber location answers 503
    for (const controller of streams) controller.abort()
    const fresh = subscribe()
    await vi.waitFor(() => expect([value(old), value(fresh)]).toEqual([6, 6]), soon)
    await publish(config('r7', 7))
    await vi.waitFor(() => expect([value(old), value(fresh)]).toEqual([7, 7]), soon) // from flags.json
    expect(fresh.getConfig()).toEqual(config('r7', 7))
    nchan.streamDown(false)
    // Back on the stream: a release published to nchan only reaches both.
    await vi.waitFor(async () => expect((await (await fetch(`${nchan.origin}/pub/flags`, { headers: { accept: 'text/json' } })).json()).subscribers).toBe(2), soon)
    await publish(config('r8', 8), ['nchan'])
    await vi.waitFor(() => expect([value(old), value(fresh)]).toEqual([8, 8]), soon)
  })
})
