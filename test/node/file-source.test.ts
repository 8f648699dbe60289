import { renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, isFlagstageError } from 'flagstage'
import type { Client, FlagstageError } from 'flagstage'
import { file } from 'flagstage/node'
import { config, eventually, removeTemp, sleep, tempDir } from './helpers.ts'

const stops: (() => void)[] = []
const clients: Client[] = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  for (const c of clients.splice(0)) c.close()
  removeTemp()
})

/** Start a file source directly and record what it emits and reports. */
const record = (path: string, options: Parameters<typeof file>[1] = {}): { docs: unknown[]; errors: FlagstageError[] } => {
  const docs: unknown[] = []
  const errors: FlagstageError[] = []
  stops.push(file(path, options).start((doc) => docs.push(doc), (error) => errors.push(error)))
  return { docs, errors }
}

const revisions = (docs: unknown[]): unknown[] => docs.map((d) => (d as { revision?: string }).revision)
const write = (path: string, doc: unknown): void => writeFileSync(path, JSON.stringify(doc))

describe('file()', () => {
  it('reads the file when the client starts, and the client is ready without I/O waits', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const flags = createClient({ source: file(path), context: { plan: 'pro' } })
    clients.push(flags)
    const status = await flags.ready({ timeoutMs: 1000 })
    expect(status).toMatchObject({ state: 'ready', revision: 'r1' })
    expect(flags.isEnabled('new-home')).toBe(true)
  })

  it('does not watch unless asked', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const { docs } = record(path)
    await eventually(() => expect(revisions(docs)).toEqual(['r1']))
    write(path, config('r2'))
    await sleep(150)
    expect(revisions(docs)).toEqual(['r1'])
  })

  it('reloads a file written in place', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const { docs, errors } = record(path, { watch: true, debounceMs: 10 })
    await eventually(() => expect(revisions(docs)).toEqual(['r1']))
    write(path, config('r2'))
    await eventually(() => expect(revisions(docs)).toEqual(['r1', 'r2']))
    expect(errors).toEqual([])
  })

  it('reloads a file renamed over the watched one (atomic save), ignoring the temporary file', async () => {
    const dir = tempDir()
    const path = join(dir, 'flags.json')
    write(path, config('r1'))
    const { docs, errors } = record(path, { watch: true, debounceMs: 10 })
    await eventually(() => expect(revisions(docs)).toEqual(['r1']))
    for (const revision of ['r2', 'r3']) {
      const temporary = join(dir, `.flags.json.${revision}.tmp`)
      write(temporary, config(revision))
      renameSync(temporary, path)
      await eventually(() => expect(revisions(docs).at(-1)).toBe(revision))
    }
    expect(revisions(docs)).toEqual(['r1', 'r2', 'r3'])
    expect(errors).toEqual([])
  })

  it('reads a burst of writes once, after the debounce', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r0'))
    const { docs } = record(path, { watch: true, debounceMs: 80 })
    await eventually(() => expect(revisions(docs)).toEqual(['r0']))
    for (let i = 1; i <= 10; i++) {
      write(path, config(`r${i}`))
      await sleep(5)
    }
    await sleep(250)
    expect(revisions(docs)).toEqual(['r0', 'r10'])
  })

  it('does not emit again when a change leaves the bytes as they were', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const { docs } = record(path, { watch: true, debounceMs: 10 })
    await eventually(() => expect(revisions(docs)).toEqual(['r1']))
    write(path, config('r1'))
    utimesSync(path, new Date(), new Date(Date.now() + 5000))
    await sleep(150)
    expect(revisions(docs)).toEqual(['r1'])
  })

  it('fails with PARSE_ERROR on a half-written file and picks up the completed write', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const flags = createClient({ source: file(path, { watch: true, debounceMs: 10 }), context: { plan: 'pro' } })
    clients.push(flags)
    const errors: FlagstageError[] = []
    flags.on('error', (error) => errors.push(error))
    await flags.ready()
    const full = JSON.stringify(config('r2', { 'new-home': { enabled: false } }))
    writeFileSync(path, full.slice(0, full.length / 2))
    await eventually(() => expect(errors.map((e) => e.code)).toEqual(['PARSE_ERROR']))
    expect(isFlagstageError(errors[0])).toBe(true)
    // The last good config stays in force.
    expect(flags.status()).toMatchObject({ state: 'stale', revision: 'r1' })
    expect(flags.isEnabled('new-home')).toBe(true)
    writeFileSync(path, full)
    await eventually(() => expect(flags.status()).toMatchObject({ state: 'ready', revision: 'r2' }))
    expect(flags.isEnabled('new-home')).toBe(false)
  })

  it('keeps the last good config through invalid JSON and an invalid config', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const flags = createClient({ source: file(path, { watch: true, debounceMs: 10 }), context: { plan: 'pro' } })
    clients.push(flags)
    const codes: string[] = []
    flags.on('error', (error) => codes.push(error.code))
    await flags.ready()
    writeFileSync(path, '{ "schemaVersion": 1, flags: }')
    await eventually(() => expect(codes).toEqual(['PARSE_ERROR']))
    write(path, { schemaVersion: 1, flags: { 'new-home': { enabled: 'yes' } } })
    await eventually(() => expect(codes).toEqual(['PARSE_ERROR', 'INVALID_CONFIG']))
    expect(flags.explain('new-home').revision).toBe('r1')
    expect(flags.isEnabled('new-home')).toBe(true)
  })

  it('reports a deleted file, keeps the config, and loads the file when it is created again', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const { docs, errors } = record(path, { watch: true, debounceMs: 10 })
    await eventually(() => expect(revisions(docs)).toEqual(['r1']))
    rmSync(path)
    await eventually(() => expect(errors.map((e) => [e.code, /does not exist/.test(e.message)])).toEqual([['SOURCE_ERROR', true]]))
    // Recreated with the same bytes: emitted again, so the client knows it is current again.
    write(path, config('r1'))
    await eventually(() => expect(revisions(docs)).toEqual(['r1', 'r1']))
    write(path, config('r2'))
    await eventually(() => expect(revisions(docs)).toEqual(['r1', 'r1', 'r2']))
    expect(errors).toHaveLength(1)
  })

  it('reports a file missing at start, resolves ready() at its timeout, and loads the file once it appears', async () => {
    const path = join(tempDir(), 'flags.json')
    const flags = createClient({ source: file(path, { watch: true, debounceMs: 10 }), defaults: { 'new-home': true } })
    clients.push(flags)
    const codes: string[] = []
    flags.on('error', (error) => codes.push(error.code))
    const started = Date.now()
    expect(await flags.ready({ timeoutMs: 100 })).toMatchObject({ state: 'error' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(codes).toEqual(['SOURCE_ERROR'])
    expect(flags.isEnabled('new-home')).toBe(true) // defaults meanwhile
    write(path, { schemaVersion: 1, revision: 'late', flags: { 'new-home': { enabled: false } } })
    await eventually(() => expect(flags.status()).toMatchObject({ state: 'ready', revision: 'late' }))
    expect(flags.isEnabled('new-home')).toBe(false)
  })

  it('reports a directory that cannot be watched instead of throwing', async () => {
    const { docs, errors } = record(join(tempDir(), 'missing-dir', 'flags.json'), { watch: true })
    await eventually(() => expect(errors.map((e) => e.code)).toEqual(['SOURCE_ERROR', 'SOURCE_ERROR']))
    expect(docs).toEqual([])
  })

  it('stops reading, watching and timing when stopped', async () => {
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const count = (type: string): number => process.getActiveResourcesInfo().filter((r) => r === type).length
    const watchers = count('FSEventWrap')
    const docs: unknown[] = []
    const stop = file(path, { watch: true, debounceMs: 50 }).start((doc) => docs.push(doc), () => {})
    await eventually(() => expect(docs).toHaveLength(1))
    expect(count('FSEventWrap')).toBe(watchers + 1)
    const timers = count('Timeout')
    write(path, config('r2'))
    await eventually(() => expect(count('Timeout')).toBe(timers + 1)) // the debounce timer is pending
    stop()
    expect(count('Timeout')).toBe(timers)
    await sleep(120)
    expect(docs).toHaveLength(1)
    expect(count('FSEventWrap')).toBe(watchers)
  })
})
