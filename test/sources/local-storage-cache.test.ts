import { afterEach, describe, expect, it } from 'vitest'
import { localStorageCache } from 'flagstage'

// A Map-backed Storage (Node 20 has no localStorage).
const memoryStorage = (): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } => {
  const data = new Map<string, string>()
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, String(v)) }
}

describe('localStorageCache()', () => {
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage
  })

  it('saves and loads the entry as JSON under flagstage:config', () => {
    const storage = memoryStorage()
    const cache = localStorageCache({ storage })
    expect(cache.load()).toBeUndefined()
    const entry = { document: { revision: 'r1', flags: {} }, savedAt: 1_700_000_000_000 }
    cache.save(entry)
    expect(JSON.parse(storage.data.get('flagstage:config')!)).toEqual(entry)
    expect(localStorageCache({ storage }).load()).toEqual(entry)
  })

  it('uses a custom key', () => {
    const storage = memoryStorage()
    localStorageCache({ storage, key: 'app:flags' }).save({ document: 1, savedAt: 1 })
    expect([...storage.data.keys()]).toEqual(['app:flags'])
  })

  it('uses globalThis.localStorage by default', () => {
    const storage = memoryStorage()
    ;(globalThis as { localStorage?: unknown }).localStorage = storage
    localStorageCache().save({ document: 'x', savedAt: 2 })
    expect(storage.data.get('flagstage:config')).toBe('{"document":"x","savedAt":2}')
  })

  it('is an empty cache where there is no storage (Node, SSR)', () => {
    const cache = localStorageCache()
    expect(cache.load()).toBeUndefined()
    expect(() => cache.save({ document: {}, savedAt: 1 })).not.toThrow()
  })

  it('reads an empty stored value as no entry', () => {
    const storage = memoryStorage()
    storage.data.set('flagstage:config', '')
    expect(localStorageCache({ storage }).load()).toBeUndefined()
  })

  it('ignores an entry without savedAt', () => {
    const storage = memoryStorage()
    storage.data.set('flagstage:config', '{"document":{}}')
    expect(localStorageCache({ storage }).load()).toBeUndefined()
  })

  it('throws storage errors (quota, SecurityError, corrupted JSON) for the client to report as CACHE_ERROR', () => {
    const full = {
      getItem: () => '{not json',
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
    }
    const cache = localStorageCache({ storage: full })
    expect(() => cache.load()).toThrow(SyntaxError)
    expect(() => cache.save({ document: {}, savedAt: 1 })).toThrow(/full/)
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get: () => {
        throw new DOMException('blocked', 'SecurityError')
      },
    })
    expect(() => localStorageCache().load()).toThrow(/blocked/)
  })
})
