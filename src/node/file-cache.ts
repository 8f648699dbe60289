import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { Cache, CacheEntry } from 'flagstage'

/** A `Cache` on disk: `load` is synchronous, `save` resolves once the file is in place. */
export interface FileCache extends Cache {
  load(): CacheEntry | undefined
  save(entry: CacheEntry): Promise<void>
}

/**
 * Keep the last good config in a JSON file (`{ document, savedAt }`), so the next start of the
 * process evaluates flags before the source answers (give `maxAgeMs` to the client to mark an old
 * one stale). `load` is synchronous and gives undefined when the file does not exist; a corrupt
 * file throws, which the client reports as CACHE_ERROR. `save` writes a temporary file in the
 * same directory (created if needed) and renames it over the cache, so a crash mid-write never
 * leaves a truncated cache. The node counterpart of `localStorageCache()`.
 * @example
 * createClient({ source: http(url), cache: fileCache('/var/cache/app/flags.json') })
 */
/* @__NO_SIDE_EFFECTS__ */
export function fileCache(path: string): FileCache {
  const full = resolve(path)
  return {
    load() {
      let raw: string
      try {
        raw = readFileSync(full, 'utf8')
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined
        throw error
      }
      const entry = JSON.parse(raw) as Partial<CacheEntry> | null
      return entry && typeof entry.savedAt === 'number' && 'document' in entry ? (entry as CacheEntry) : undefined
    },
    async save(entry) {
      // A unique temporary name per save: concurrent saves (and processes) never share one.
      const temporary = join(dirname(full), `.${basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
      await mkdir(dirname(full), { recursive: true })
      try {
        await writeFile(temporary, JSON.stringify({ document: entry.document, savedAt: entry.savedAt }))
        await rename(temporary, full)
      } catch (error) {
        await rm(temporary, { force: true })
        throw error
      }
    },
  }
}
