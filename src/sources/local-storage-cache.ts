import type { Cache, CacheEntry } from '../core/source.ts'

/** Options of `localStorageCache()`. */
export interface LocalStorageCacheOptions {
  /** Storage key. @default 'flagstage:config' */
  key?: string
  /** Where to store (e.g. `sessionStorage`). @default globalThis.localStorage */
  storage?: StorageLike
}

/** The part of the Web Storage API the cache uses (declared here, so the types need no DOM lib). */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/**
 * Keep the last good config in `localStorage` (as JSON), so the next page load evaluates flags
 * before the source answers. Without any storage (Node, SSR) it is an empty cache. Storage
 * errors (SecurityError in sandboxed frames, QuotaExceededError, a corrupted entry) are thrown,
 * and the client reports them as CACHE_ERROR without losing the config in memory.
 * @example
 * createClient({ source: http(url), cache: localStorageCache(), maxAgeMs: 86_400_000 })
 */
/* @__NO_SIDE_EFFECTS__ */
export function localStorageCache({ key = 'flagstage:config', storage }: LocalStorageCacheOptions = {}): Cache {
  // Looked up on every call: reading `localStorage` itself throws where storage is blocked.
  const store = (): StorageLike | undefined => storage ?? (globalThis as { localStorage?: StorageLike }).localStorage
  return {
    load() {
      const raw = store()?.getItem(key)
      const entry = raw ? (JSON.parse(raw) as CacheEntry | null) : undefined
      return typeof entry?.savedAt === 'number' ? entry : undefined
    },
    save(entry) {
      store()?.setItem(key, JSON.stringify(entry))
    },
  }
}
