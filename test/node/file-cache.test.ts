import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from 'flagstage'
import type { Client, Source } from 'flagstage'
import { fileCache } from 'flagstage/node'
import { config, eventually, removeTemp, tempDir } from './helpers.ts'

const clients: Client[] = []
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
  removeTemp()
})

/** A source that never answers (a config server that is down). */
const silent: Source = { start: () => () => {} }

describe('fileCache()', () => {
  it('loads undefined when the file does not exist', () => {
    expect(fileCache(join(tempDir(), 'none.json')).load()).toBeUndefined()
  })

  it('saves { document, savedAt } and loads it back', async () => {
    const path = join(tempDir(), 'flags.cache.json')
    const cache = fileCache(path)
    await cache.save({ document: config('r1'), savedAt: 1234 })
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ document: config('r1'), savedAt: 1234 })
    expect(cache.load()).toEqual({ document: config('r1'), savedAt: 1234 })
  })

  it('creates the directory and leaves no temporary files behind, even with concurrent saves', async () => {
    const dir = join(tempDir(), 'nested', 'cache')
    const cache = fileCache(join(dir, 'flags.json'))
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.save({ document: config(`r${i}`), savedAt: i })))
    expect(readdirSync(dir)).toEqual(['flags.json'])
    const saved = cache.load()!
    expect((saved.document as { revision: string }).revision).toBe(`r${saved.savedAt}`)
  })

  it('throws on a corrupt file (the client reports CACHE_ERROR) and ignores an entry without savedAt', () => {
    const path = join(tempDir(), 'flags.json')
    writeFileSync(path, '{"document": {"schema')
    expect(() => fileCache(path).load()).toThrow()
    writeFileSync(path, JSON.stringify({ document: config() }))
    expect(fileCache(path).load()).toBeUndefined()
  })

  it('serves the config saved by the previous process before the source answers', async () => {
    const path = join(tempDir(), 'flags.cache.json')
    let emit: (doc: unknown) => void = () => {}
    const first = createClient({ source: { start: (e) => ((emit = e), () => {}) }, cache: fileCache(path) })
    clients.push(first)
    emit(config('from-server'))
    await eventually(() => expect(existsSync(path)).toBe(true))
    first.close()

    const next = createClient({ source: silent, cache: fileCache(path), context: { plan: 'pro' } })
    clients.push(next)
    // Loaded synchronously at construction: no await needed.
    expect(next.isEnabled('new-home')).toBe(true)
    expect(next.status()).toMatchObject({ state: 'loading', revision: 'from-server' })
  })

  it('is reported as CACHE_ERROR by the client when corrupt, without failing the client', async () => {
    const path = join(tempDir(), 'flags.json')
    writeFileSync(path, 'not json')
    const codes: string[] = []
    const flags = createClient({ source: silent, cache: fileCache(path), defaults: { 'new-home': true } })
    clients.push(flags)
    flags.on('error', (error) => codes.push(error.code))
    await eventually(() => expect(codes).toEqual(['CACHE_ERROR']))
    expect(flags.isEnabled('new-home')).toBe(true)
  })
})
