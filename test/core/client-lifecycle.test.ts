// What surviving mutants of src/core/client.ts showed untested: the source contract (what emit returns),
// caches that answer late or not at all, the 'config' event across config/snapshot switches, listeners
// that leave, impressions over several batches, close(), and the development warnings (not in production).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, ErrorCode, FlagstageError, type Cache, type CacheEntry, type Client, type Config, type ConfigEvent, type EmitMeta, type Logger, type Source } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const cfg = (revision: string, flags: Config['flags']): Config => ({ schemaVersion: 1, revision, flags })
const on = { enabled: true, rules: [{ serve: 'on' }] }
const off = { enabled: false }
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

const memoryLogger = (): Logger & { lines: [string, string][] } => {
  const lines: [string, string][] = []
  return { lines, warn: (m: string) => void lines.push(['warn', m]), error: (m: string) => void lines.push(['error', m]) }
}

/** A source that hands back what the client's emit returned (the Source contract: false for a rejected document). */
const answering = () => {
  let emit: ((document: unknown, meta?: EmitMeta) => unknown) | undefined
  const source: Source = { start: (e) => ((emit = e), () => {}) }
  return { source, push: (document: unknown, meta?: EmitMeta) => emit?.(document, meta) }
}

const clients: Client[] = []
const track = <C extends Client>(c: C): C => (clients.push(c), c)
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('what emit returns to the source', () => {
  it('true for a config it installed or a not-modified it confirmed, false for one it rejected', () => {
    const s = answering()
    const c = track(createClient({ source: s.source, logger: memoryLogger() }))
    expect(s.push({ schemaVersion: 1, flags: { a: { enabled: 'yes' } } })).toBe(false)
    expect(s.push(cfg('r1', { a: on }))).toBe(true)
    expect(s.push(undefined, { notModified: true })).toBe(true)
    expect(c.status()).toMatchObject({ state: 'ready', revision: 'r1' })
  })

  it('false for a not-modified before any config: nothing is confirmed, and the client is not ready', async () => {
    const s = answering()
    const c = track(createClient({ source: s.source }))
    const ready = vi.fn()
    c.on('ready', ready)
    expect(s.push(undefined, { notModified: true })).toBe(false)
    await tick()
    expect(c.status().state).toBe('loading')
    expect(ready).not.toHaveBeenCalled()
  })

  it('false after close()', () => {
    const s = answering()
    const c = createClient({ source: s.source })
    c.close()
    expect(s.push(cfg('late', { a: on }))).toBe(false)
    expect(c.isEnabled('a')).toBe(false)
  })
})

describe('subscribers on a not-modified answer', () => {
  it('hear it: the status moved from stale back to ready', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, logger: memoryLogger() }))
    m.push(cfg('r1', { a: on }))
    m.fail(new FlagstageError(ErrorCode.HTTP_ERROR, '503'))
    let calls = 0
    c.subscribe(() => void calls++)
    m.push(undefined, { notModified: true })
    expect(calls).toBe(1)
    expect(c.status().state).toBe('ready')
  })
})

describe('the cache', () => {
  it('is not saved to when there is none (no CACHE_ERROR from a missing cache)', async () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    const errors = vi.fn()
    c.on('error', errors)
    m.push(cfg('r1', { a: on }))
    await tick()
    expect(errors).not.toHaveBeenCalled()
  })

  it('is ignored when it answers after the source did: the fresher config stays', async () => {
    let answer!: (entry: CacheEntry) => void
    const cache: Cache = { load: () => new Promise<CacheEntry>((resolve) => (answer = resolve)), save: () => {} }
    const m = manualSource()
    const c = track(createClient({ source: m.source, cache }))
    m.push(cfg('fresh', { a: off }))
    answer({ document: cfg('cached', { a: on }), savedAt: Date.now() })
    await tick()
    expect(c.status()).toMatchObject({ state: 'ready', revision: 'fresh' })
    expect(c.isEnabled('a')).toBe(false)
  })

  it('is ignored when it answers after close()', async () => {
    let answer!: (entry: CacheEntry) => void
    const cache: Cache = { load: () => new Promise<CacheEntry>((resolve) => (answer = resolve)), save: () => {} }
    const c = createClient({ source: manualSource().source, cache })
    c.close()
    answer({ document: cfg('cached', { a: on }), savedAt: Date.now() })
    await tick()
    expect(c.isEnabled('a')).toBe(false)
    expect(c.status().revision).toBeUndefined()
  })

  it('holding an invalid document is reported with the path of the problem', async () => {
    const c = track(createClient({ source: manualSource().source, logger: memoryLogger(), cache: { load: () => ({ document: { schemaVersion: 9 }, savedAt: 0 }), save: () => {} } }))
    expect(c.status()).toMatchObject({ state: 'error', revision: undefined, lastError: { code: 'INVALID_CONFIG', path: 'schemaVersion' } })
  })

  it('that holds nothing is no error', async () => {
    const c = track(createClient({ source: manualSource().source, cache: { load: () => undefined, save: () => {} } }))
    const errors = vi.fn()
    c.on('error', errors)
    await tick()
    expect(errors).not.toHaveBeenCalled()
    expect(c.status().state).toBe('loading')
  })

  it('is stale only past maxAgeMs (an entry exactly maxAgeMs old is not)', () => {
    const t = 1_000_000
    const load = (age: number) => createClient({
      source: manualSource().source, now: () => t, maxAgeMs: 30_000,
      cache: { load: () => ({ document: cfg('cached', { a: on }), savedAt: t - age }), save: () => {} },
    })
    const young = track(load(30_000))
    expect(young.status()).toMatchObject({ state: 'loading', revision: 'cached', lastUpdated: t - 30_000 })
    expect(young.isEnabled('a')).toBe(true)
    expect(track(load(30_001)).status().state).toBe('stale')
  })

  it('whose load() throws is reported as CACHE_ERROR after construction, so a listener added at once hears it', async () => {
    const c = track(createClient({ source: manualSource().source, cache: { load: () => { throw new Error('disk gone') }, save: () => {} } }))
    const errors: FlagstageError[] = []
    c.on('error', (e) => errors.push(e))
    await tick()
    expect(errors.map((e) => [e.code, e.message])).toEqual([['CACHE_ERROR', expect.stringContaining('disk gone')]])
    expect(c.status().state).toBe('error')
  })

  it('failing with no config loaded is not reported as "no config loaded": that is for the source to say', async () => {
    const logger = memoryLogger()
    const c = track(createClient({ source: manualSource().source, logger, cache: { load: () => Promise.reject(new Error('disk gone')), save: () => {} } }))
    await tick()
    expect(c.status().lastError?.code).toBe('CACHE_ERROR')
    expect(logger.lines.filter(([level]) => level === 'error')).toEqual([])
  })
})

describe('an invalid bootstrap', () => {
  it('is reported after construction with its JSON path, and the client serves defaults', async () => {
    const c = track(createClient({ bootstrap: { schemaVersion: 1, flags: { a: { enabled: 'yes' } } } as never, defaults: { a: true }, logger: memoryLogger() }))
    const errors: FlagstageError[] = []
    c.on('error', (e) => errors.push(e))
    expect(c.isEnabled('a')).toBe(true)
    await tick()
    expect(errors.map((e) => [e.code, e.path])).toEqual([['INVALID_CONFIG', 'flags.a.enabled']])
  })
})

describe('errors', () => {
  it('PATCH_MISMATCH does not make the client stale (the source refetches)', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    c.on('error', () => {})
    m.push(cfg('r1', { a: on }))
    m.fail(new FlagstageError(ErrorCode.PATCH_MISMATCH, 'patch for r0'))
    expect(c.status()).toMatchObject({ state: 'ready', lastError: { code: 'PATCH_MISMATCH' } })
  })

  it('after close() change nothing', () => {
    let fail!: (error: FlagstageError) => void
    const c = createClient({ source: { start: (_e, f) => ((fail = f), () => {}) } })
    c.close()
    fail(new FlagstageError(ErrorCode.NETWORK_ERROR, 'late'))
    expect(c.status()).toMatchObject({ state: 'loading', lastError: undefined })
  })

  it('warn in development only while nobody listens to error', () => {
    const logger = memoryLogger()
    const m = manualSource()
    const c = track(createClient({ source: m.source, bootstrap: cfg('b', { a: on }), logger }))
    const off = c.on('error', () => {})
    m.fail(new FlagstageError(ErrorCode.HTTP_ERROR, 'HTTP 500'))
    expect(logger.lines).toEqual([])
    off()
    m.fail(new FlagstageError(ErrorCode.HTTP_ERROR, 'HTTP 502'))
    expect(logger.lines).toEqual([['warn', expect.stringContaining("HTTP_ERROR: HTTP 502 (add client.on('error') to handle)")]])
  })
})

describe('a source given as a URL string', () => {
  it('fails in development with a fix: wrap it in http()', async () => {
    const c = track(createClient({ source: 'https://cdn.example/flags.json' as never, logger: memoryLogger() }))
    const errors: FlagstageError[] = []
    c.on('error', (e) => errors.push(e))
    await tick()
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toContain('wrap it in http()')
    expect(errors[0]!.message).toContain('http("https://cdn.example/flags.json")')
    expect(c.status().state).toBe('error')
  })
})

describe("the 'config' event across a switch between a config and a snapshot", () => {
  it('lists the flags of both documents', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, bootstrap: { evaluated: true, revision: undefined, flags: { a: { variant: 'on', value: true, enabled: true }, b: { variant: 'on', value: true, enabled: true } } } }))
    const events: ConfigEvent[] = []
    c.on('config', (e) => events.push(e))
    m.push(cfg('r1', { a: on, c: on }))
    m.push({ evaluated: true, revision: 's2', flags: { d: { variant: 'off', value: false } } })
    expect(events).toEqual([{ revision: 'r1', keys: ['a', 'c', 'b'] }, { revision: 's2', keys: ['d', 'a', 'c'] }])
  })

  it('emits change for a config replaced by a snapshot', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source, logger: memoryLogger() }))
    m.push(cfg('r1', { a: on, b: on }))
    const changes: unknown[] = []
    const errors = vi.fn()
    c.on('change', (e) => changes.push(e))
    c.on('error', errors)
    m.push({ evaluated: true, revision: 's2', flags: { a: { variant: 'on', value: true }, b: { variant: 'off', value: false } } })
    expect(changes).toEqual([{ keys: ['b'], revision: 's2' }])
    expect(errors).not.toHaveBeenCalled()
  })
})

describe('listeners that leave', () => {
  it('client.off() removes a listener; the others keep hearing', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    const first = vi.fn()
    const second = vi.fn()
    c.on('change', first)
    c.on('change', second)
    m.push(cfg('r1', { a: on }))
    c.off('change', first)
    m.push(cfg('r2', { a: off }))
    expect(first).toHaveBeenCalledTimes(1)
    expect(second.mock.calls).toEqual([[{ keys: ['a'], revision: 'r1' }], [{ keys: ['a'], revision: 'r2' }]])
  })

  it('an unsubscribed change listener hears nothing more, and the one left still hears only what changed', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    m.push(cfg('r1', { a: on, b: on }))
    const leaving = vi.fn()
    const staying = vi.fn()
    const leave = c.on('change', leaving)
    c.on('change', staying)
    leave()
    m.push(cfg('r2', { a: off, b: on }))
    expect(leaving).not.toHaveBeenCalled()
    expect(staying.mock.calls).toEqual([[{ keys: ['a'], revision: 'r2' }]])
  })

  it('a change listener that comes after the last one left starts from the answers of that moment', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    m.push(cfg('r1', { a: on, b: on }))
    c.on('change', () => {})()
    m.push(cfg('r2', { a: on, b: off })) // b moves while nobody listens
    const keys: string[][] = []
    c.on('change', (e) => keys.push(e.keys))
    m.push(cfg('r3', { a: off, b: off }))
    m.push(cfg('r4', { a: off, b: on })) // b back to its answer of r1
    expect(keys).toEqual([['a'], ['b']])
  })

  it('an impression listener that leaves does not stop the other', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on }), context: { userId: 'u1' } }))
    const leaving = vi.fn()
    const staying = vi.fn()
    c.on('impression', leaving)
    c.on('impression', staying)
    c.off('impression', leaving)
    c.isEnabled('a')
    await tick()
    expect(leaving).not.toHaveBeenCalled()
    expect(staying).toHaveBeenCalledTimes(1)
  })

  it('an unsubscribed subscriber is not called again', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    const s = vi.fn()
    const unsubscribe = c.subscribe(s)
    m.push(cfg('r1', { a: on }))
    unsubscribe()
    m.push(cfg('r2', { a: off }))
    expect(s).toHaveBeenCalledTimes(1)
  })
})

describe('impressions', () => {
  it('are delivered batch after batch, a single one included', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on, b: off }), context: { userId: 'u1' } }))
    const seen: string[] = []
    c.on('impression', (e) => seen.push(`${e.key}:${e.unit}`))
    c.isEnabled('a')
    await tick()
    expect(seen).toEqual(['a:u1'])
    c.isEnabled('b')
    c.forContext({ userId: 'u2' }).isEnabled('a')
    await tick()
    expect(seen).toEqual(['a:u1', 'b:u1', 'a:u2'])
  })

  it('are reported for a context without a unit', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on }), context: { plan: 'pro' } }))
    const seen: unknown[] = []
    c.on('impression', (e) => seen.push(e))
    expect(c.isEnabled('a')).toBe(true)
    c.isEnabled('a')
    await tick()
    expect(seen).toEqual([{ key: 'a', variant: 'on', value: true, reason: 'STATIC', unit: undefined }])
  })

  it('tell long unit ids apart (they are de-duplicated by a hash)', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on }) }))
    const units: (string | undefined)[] = []
    c.on('impression', (e) => units.push(e.unit))
    const long = (ch: string) => ch.repeat(100)
    for (const id of [long('x'), long('y'), long('x'), `${'x'.repeat(64)}`, `${'x'.repeat(65)}`]) c.forContext({ userId: id }).isEnabled('a')
    await tick()
    expect(units).toEqual([long('x'), long('y'), 'x'.repeat(64), 'x'.repeat(65)])
  })

  it('start over after 10,000 distinct ones (bounded memory): one seen before is reported again', async () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on }) }))
    let count = 0
    c.on('impression', () => void count++)
    for (let i = 0; i < 10_000; i++) c.forContext({ userId: `u${i}` }).isEnabled('a')
    c.forContext({ userId: 'u0' }).isEnabled('a') // still remembered
    await tick()
    expect(count).toBe(10_000)
    c.forContext({ userId: 'u10000' }).isEnabled('a') // the 10,001st: the memory starts over
    c.forContext({ userId: 'u0' }).isEnabled('a')
    await tick()
    expect(count).toBe(10_002)
  })
})

describe('setContext', () => {
  it('replaces the context unless asked to merge', () => {
    const c = track(createClient({ bootstrap: cfg('r', { a: on }), context: { country: 'FR', plan: 'pro' } }))
    c.setContext({ country: 'US' })
    expect(c.getContext()).toEqual({ country: 'US' })
  })
})

describe('a context whose reading throws', () => {
  it('is read as empty and reported (development), in createClient and in setContext', () => {
    const logger = memoryLogger()
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap') } })
    const c = track(createClient({ bootstrap: cfg('r', { a: on }), context: hostile, logger }))
    expect(c.getContext()).toEqual({})
    expect(logger.lines).toEqual([['warn', '[flagstage] reading the context threw: it is treated as empty']])
    c.setContext({ plan: 'pro' })
    c.setContext(hostile)
    expect(c.getContext()).toEqual({})
    expect(c.isEnabled('a')).toBe(true)
  })
})

describe('close()', () => {
  it('makes ready() resolve at once afterwards', async () => {
    const c = createClient({ source: manualSource().source })
    c.close()
    const status = await Promise.race([c.ready({ timeoutMs: 60_000 }), tick().then(() => 'pending')])
    expect(status).toMatchObject({ state: 'loading' })
  })

  it('of a client without a source does not throw, nor warn', () => {
    const logger = memoryLogger()
    const c = createClient({ bootstrap: cfg('r', { a: on }), logger })
    expect(() => c.close()).not.toThrow()
    expect(logger.lines).toEqual([])
  })

  it('finishes when the source stop() throws, and warns (development)', () => {
    const logger = memoryLogger()
    const c = createClient({ source: { start: () => () => { throw new Error('stuck') } }, logger })
    const change = vi.fn()
    c.on('change', change)
    c.close()
    expect(logger.lines).toEqual([['warn', '[flagstage] source stop() threw']])
    expect(c.status().state).toBe('loading')
  })
})

describe('development warnings', () => {
  it('name overrides the config cannot apply: an unknown flag, an unknown variant', () => {
    const logger = memoryLogger()
    track(createClient({ bootstrap: cfg('r', { a: on }), overrides: { nope: 'on', a: 'purple' }, logger }))
    expect(logger.lines).toEqual([
      ['warn', '[flagstage] override for unknown flag "nope" ignored'],
      ['warn', '[flagstage] override "a": "purple" is not a variant (on, off); ignored'],
    ])
  })

  it('are not given in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const logger = memoryLogger()
    const m = manualSource()
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap') } })
    const c = createClient({ source: m.source, bootstrap: cfg('b', { a: on }), overrides: { nope: 'on' }, context: hostile, logger })
    c.on('change', () => { throw new Error('listener') })
    c.subscribe(() => { throw new Error('subscriber') })
    m.fail(new FlagstageError(ErrorCode.HTTP_ERROR, 'HTTP 500'))
    m.push(cfg('r1', { a: off }))
    c.close()
    const stuck = createClient({ source: { start: () => () => { throw new Error('stuck') } }, logger })
    stuck.close()
    expect(logger.lines).toEqual([])
  })
})
