import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, ErrorCode, FlagstageError, isFlagstageError, type Cache, type CacheEntry, type Client, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const cfg = (revision: string, flags: Config['flags']): Config => ({ schemaVersion: 1, revision, flags })
const on = { enabled: true, rules: [{ serve: 'on' }] }
const off = { enabled: false }

const clients: Client[] = []
const track = <C extends Client>(c: C): C => (clients.push(c), c)
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
  vi.restoreAllMocks()
})

describe('createClient', () => {
  it('serves defaults before any config, then the config once the source answers', async () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, defaults: { a: true } }))
    expect(c.isEnabled('a')).toBe(true)
    expect(c.explain('a')).toMatchObject({ reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' })
    expect(c.status().state).toBe('loading')
    m.push(cfg('r1', { a: off }))
    expect(c.isEnabled('a')).toBe(false)
    expect(await c.ready()).toMatchObject({ state: 'ready', revision: 'r1' })
  })

  it('resolves ready() once, at the first good config, and emits ready once', async () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    const onReady = vi.fn()
    c.on('ready', onReady)
    const p = c.ready({ timeoutMs: 10_000 })
    m.push(cfg('r1', { a: on }))
    m.push(cfg('r2', { a: off }))
    await expect(p).resolves.toMatchObject({ state: 'ready', revision: 'r1' })
    expect(onReady).toHaveBeenCalledTimes(1)
    await expect(c.ready()).resolves.toMatchObject({ revision: 'r2' })
  })

  it('resolves ready() at the timeout with bootstrap when the source never answers, and never after an error alone', async () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, bootstrap: cfg('boot', { a: on }) }))
    const onReady = vi.fn()
    c.on('ready', onReady)
    c.on('error', () => {})
    const started = Date.now()
    const p = c.ready({ timeoutMs: 80 })
    m.fail(new FlagstageError(ErrorCode.NETWORK_ERROR, 'refused'))
    const s = await p
    expect(Date.now() - started).toBeGreaterThanOrEqual(70)
    expect(s).toMatchObject({ state: 'stale', revision: 'boot' })
    expect(s.lastError?.code).toBe('NETWORK_ERROR')
    expect(onReady).not.toHaveBeenCalled()
    expect(c.isEnabled('a')).toBe(true)
  })

  it('is ready at once without a source', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on }) }))
    await expect(c.ready({ timeoutMs: 10_000 })).resolves.toMatchObject({ state: 'ready' })
  })

  it('keeps the last good config when a source sends garbage, and reports a typed error with the JSON path', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    const errors: FlagstageError[] = []
    c.on('error', (e) => errors.push(e))
    m.push(cfg('r1', { a: on }))
    m.push({ schemaVersion: 1, flags: { a: { enabled: true, rules: [{ if: { attr: 'x', op: 'inn', values: [] }, serve: 'on' }] } } })
    m.push('not even an object')
    expect(c.isEnabled('a')).toBe(true)
    expect(c.status()).toMatchObject({ state: 'stale', revision: 'r1' })
    expect(errors).toHaveLength(2)
    expect(isFlagstageError(errors[0])).toBe(true)
    expect(errors[0]).toMatchObject({ code: 'INVALID_CONFIG', path: 'flags.a.rules[0].if.op' })
    expect(errors[0]!.message).toContain('inn')
    m.push(cfg('r2', { a: off }))
    expect(c.status()).toMatchObject({ state: 'ready', revision: 'r2', lastError: undefined })
  })

  it('emits change with exactly the keys whose evaluation changed', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, context: { userId: 'u1' } }))
    m.push(cfg('r1', { a: on, b: on, c: off }))
    const changes: unknown[] = []
    c.on('change', (e) => changes.push(e))
    m.push(cfg('r2', { a: on, b: off, c: off, d: on }))
    m.push(cfg('r3', { a: on, b: off, c: off, d: on }))
    expect(changes).toEqual([{ keys: ['b', 'd'], revision: 'r2' }])
  })

  it('after a config edit, reports flags moved by the edit: their own rules, a segment, or a prerequisite', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, context: { email: 'a@example.com', userId: 'u' } }))
    const seg = (suffix: string) => ({ beta: { attr: 'email', op: 'endsWith' as const, value: suffix } })
    const flags = (betaRule: 'on' | 'off', base: boolean): Config['flags'] => ({
      base: base ? on : off,
      child: { enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'base' }] },
      beta: { enabled: true, rules: [{ if: { segment: 'beta' }, serve: betaRule }] },
      other: on,
    })
    m.push({ schemaVersion: 1, revision: 'r1', segments: seg('@example.com'), flags: flags('on', true) })
    const changes: unknown[] = []
    c.on('change', (e) => changes.push(e))
    m.push({ schemaVersion: 1, revision: 'r2', segments: seg('@example.com'), flags: flags('on', false) })
    m.push({ schemaVersion: 1, revision: 'r3', segments: seg('@else.com'), flags: flags('on', false) })
    m.push({ schemaVersion: 1, revision: 'r4', segments: seg('@else.com'), flags: flags('off', false) })
    expect(changes).toEqual([
      { keys: ['base', 'child'], revision: 'r2' },
      { keys: ['beta'], revision: 'r3' },
    ])
  })

  it('reports to a new change listener only what changed since it subscribed', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    m.push(cfg('r1', { a: on, b: on }))
    const first = vi.fn()
    const unsubscribe = c.on('change', first)
    m.push(cfg('r2', { a: off, b: on }))
    unsubscribe()
    m.push(cfg('r3', { a: off, b: off }))
    const second = vi.fn()
    c.on('change', second)
    m.push(cfg('r4', { a: on, b: off }))
    expect(first).toHaveBeenCalledWith({ keys: ['a'], revision: 'r2' })
    expect(second).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledWith({ keys: ['a'], revision: 'r4' })
  })

  it('keeps calling other listeners, and keeps serving, when a listener throws', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    const second = vi.fn()
    c.on('change', () => { throw new Error('boom') })
    c.on('change', second)
    c.subscribe(() => { throw new Error('boom too') })
    expect(() => m.push(cfg('r1', { a: on }))).not.toThrow()
    expect(second).toHaveBeenCalledTimes(1)
    expect(c.isEnabled('a')).toBe(true)
  })

  it('setContext re-evaluates and emits change without restarting the source', () => {
    const m = manualSource()
    const c = track(createClient({
      source: m.source,
      context: { country: 'FR' },
    }))
    m.push(cfg('r1', { us: { enabled: true, rules: [{ if: { attr: 'country', op: 'eq', value: 'US' }, serve: 'on' }] } }))
    const changes = vi.fn()
    c.on('change', changes)
    c.setContext({ country: 'US' })
    expect(c.isEnabled('us')).toBe(true)
    expect(changes).toHaveBeenCalledWith({ keys: ['us'], revision: 'r1' })
    c.setContext({ plan: 'pro' }, { merge: true })
    expect(c.getContext()).toEqual({ country: 'US', plan: 'pro' })
    expect(m.starts).toBe(1)
  })

  it('emits one impression per flag, variant and unit, after the read', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on, b: off }), context: { userId: 'u1' } }))
    const seen: unknown[] = []
    c.on('impression', (e) => seen.push(e))
    c.isEnabled('a'); c.isEnabled('a'); c.value('a', false); c.isEnabled('b'); c.isEnabled('unknown')
    c.setContext({ userId: 'u2' })
    c.isEnabled('a')
    expect(seen).toEqual([])
    await Promise.resolve()
    expect(seen).toEqual([
      { key: 'a', variant: 'on', value: true, reason: 'STATIC', unit: 'u1' },
      { key: 'b', variant: 'off', value: false, reason: 'DISABLED', unit: 'u1' },
      { key: 'a', variant: 'on', value: true, reason: 'STATIC', unit: 'u2' },
    ])
  })

  it('boots from an evaluated snapshot (SSR) and switches to the config when it arrives', () => {
    const m = manualSource()
    const server = createClient({ bootstrap: cfg('r1', { a: on, b: off }), context: { userId: 'u' } })
    const snapshot = server.snapshot()
    expect(snapshot).toEqual({
      evaluated: true, revision: 'r1',
      flags: { a: { variant: 'on', value: true, enabled: true }, b: { variant: 'off', value: false, enabled: false } },
    })
    const browser = track(createClient({ source: m.source, bootstrap: JSON.parse(JSON.stringify(snapshot)) }))
    expect(browser.isEnabled('a')).toBe(true)
    expect(browser.snapshot()).toEqual(snapshot)
    m.push(cfg('r2', { a: off, b: off }))
    expect(browser.isEnabled('a')).toBe(false)
  })

  it('uses a cached config before the source answers, reports stale past maxAgeMs, and saves good configs', async () => {
    const saved: CacheEntry[] = []
    const entry: CacheEntry = { document: cfg('cached', { a: on }), savedAt: Date.now() - 60_000 }
    const cache: Cache = { load: () => entry, save: (e) => { saved.push(e) } }
    const m = manualSource()
    const c = track(createClient({ source: m.source, cache, maxAgeMs: 30_000 }))
    expect(c.isEnabled('a')).toBe(true)
    expect(c.status()).toMatchObject({ state: 'stale', revision: 'cached', lastUpdated: entry.savedAt })
    m.push(cfg('fresh', { a: off }))
    await Promise.resolve()
    expect(c.status().state).toBe('ready')
    expect(saved).toHaveLength(1)
    expect(saved[0]!.document).toMatchObject({ revision: 'fresh' })
  })

  it('reports CACHE_ERROR when a cache fails, and carries on', async () => {
    const m = manualSource()
    const cache: Cache = { load: () => Promise.reject(new Error('disk gone')), save: () => { throw new Error('read-only') } }
    const c = track(createClient({ source: m.source, cache }))
    const errors: FlagstageError[] = []
    c.on('error', (e) => errors.push(e))
    await new Promise((r) => setTimeout(r, 0))
    m.push(cfg('r', { a: on }))
    await new Promise((r) => setTimeout(r, 0))
    expect(errors.map((e) => e.code)).toEqual(['CACHE_ERROR', 'CACHE_ERROR'])
    expect(c.isEnabled('a')).toBe(true)
  })

  it('marks itself fresh on a not-modified signal without re-reading the config', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    c.on('error', () => {})
    m.push(cfg('r', { a: on }))
    m.fail(new FlagstageError(ErrorCode.HTTP_ERROR, '503', { status: 503 }))
    expect(c.status().state).toBe('stale')
    m.push(undefined, { notModified: true })
    expect(c.status()).toMatchObject({ state: 'ready', lastError: undefined })
  })

  it('emits change when a schedule boundary passes, without a config edit or a poll', async () => {
    // The default clock and timer (Date.now, setTimeout), faked: a loaded machine cannot pass the boundary
    // between creating the client and the first read.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const from = new Date(Date.now() + 120).toISOString()
      const c = track(createClient({ bootstrap: cfg('r', { launch: { enabled: true, rules: [{ serve: 'on' }], schedule: { from } } }) }))
      const change = vi.fn()
      c.on('change', change)
      await vi.advanceTimersByTimeAsync(119)
      expect(c.isEnabled('launch')).toBe(false)
      expect(change).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(20) // the timer may be armed a little past the boundary
      expect(change).toHaveBeenCalledTimes(1)
      expect(change).toHaveBeenCalledWith({ keys: ['launch'], revision: 'r' })
      expect(c.isEnabled('launch')).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('close() stops the source, resolves pending ready() calls and silences events', async () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    const p = c.ready({ timeoutMs: 60_000 })
    const change = vi.fn()
    c.on('change', change)
    c.close()
    c.close()
    await expect(p).resolves.toMatchObject({ state: 'loading' })
    expect(m.stops).toBe(1)
    m.push(cfg('late', { a: on }))
    expect(change).not.toHaveBeenCalled()
  })

  it('never throws from isEnabled / variant / value / explain, whatever the key or the context', () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: { enabled: true, rules: [{ if: { attr: 'n', op: 'gt', value: 1 }, serve: { rollout: 50 } }] } }) }))
    const weird = [null, undefined, 42, 'str', [], { n: Symbol('x') }, { n: 5, userId: { toString: null } },
      Object.create(null), { get n() { throw new Error('getter') } }] as unknown[]
    for (const ctx of weird) {
      const e = c.forContext(ctx as never)
      expect(() => [e.isEnabled('a'), e.variant('a'), e.value('a', true), e.explain('a'), e.snapshot()]).not.toThrow()
    }
    for (const key of [undefined, null, 1, {}, '__proto__', ''] as unknown[]) {
      expect(() => [c.isEnabled(key as string), c.value(key as string, 1), c.explain(key as string)]).not.toThrow()
    }
    const thrower = c.forContext({ get n() { throw new Error('getter') } })
    expect(thrower.explain('a')).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' })
  })
})

describe('client.subscribe(listener)', () => {
  it('says whether evaluations may have moved: true for configs, context, overrides and the clock, false for status alone', () => {
    let t = Date.parse('2026-12-01T08:00:00Z')
    let fire: (() => void) | undefined
    const m = manualSource()
    const c = track(createClient({
      source: m.source,
      now: () => t,
      timer: (run) => ((fire = run), () => (fire = undefined)),
    }))
    const heard: boolean[] = []
    c.subscribe((evaluations) => heard.push(evaluations))
    m.fail(new FlagstageError(ErrorCode.NETWORK_ERROR, 'down')) // no config yet: status only
    m.push(cfg('r1', { a: on, launch: { enabled: true, schedule: { from: '2026-12-01T09:00:00Z' }, rules: [{ serve: 'on' }] } }))
    m.push(undefined, { notModified: true }) // a 304
    m.fail(new FlagstageError(ErrorCode.HTTP_ERROR, 'HTTP 503', { status: 503 }))
    c.setContext({ userId: 'u1' })
    expect(heard).toEqual([false, true, false, false, true])
    t = Date.parse('2026-12-01T09:00:01Z')
    fire?.() // the schedule boundary
    expect(c.isEnabled('launch')).toBe(true)
    expect(heard).toEqual([false, true, false, false, true, true])
  })
})
