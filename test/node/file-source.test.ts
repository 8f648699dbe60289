import { renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, isFlagstageError } from 'flagstage'
import type { Client, FlagstageError } from 'flagstage'
import { file } from 'flagstage/node'
import { config, eventually, removeTemp, sleep, tempDir } from './helpers.ts'

const stops: (() => void)[] = []
const clients: Client[] = []
afterEach(() => {
  vi.useRealTimers()
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

/**
 * Poll `check` in real time while fake timers are installed (vi.waitFor would advance the fake clock,
 * and eventually() sleeps on the faked setTimeout): node:timers/promises is not faked.
 */
const until = async (check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> => {
  const end = performance.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (performance.now() > end) throw error
      await delay(5)
    }
  }
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
    // Fake timers: the debounce window is fake time, so however slowly the writes' events arrive on a loaded
    // machine, they all land inside it; the read happens only once 80 ms pass after the last of them.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const path = join(tempDir(), 'flags.json')
    write(path, config('r0'))
    const { docs } = record(path, { watch: true, debounceMs: 80 })
    await until(() => expect(revisions(docs)).toEqual(['r0']))
    for (let i = 1; i <= 10; i++) write(path, config(`r${i}`))
    await until(() => expect(vi.getTimerCount()).toBe(1)) // the events arrived: one debounce timer pending
    await vi.advanceTimersByTimeAsync(79)
    expect(revisions(docs)).toEqual(['r0'])
    await until(async () => {
      await vi.advanceTimersByTimeAsync(80) // (again, if a late event restarted the window)
      expect(revisions(docs)).toEqual(['r0', 'r10'])
    })
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let settled = false
    const ready = flags.ready({ timeoutMs: 100 }).finally(() => (settled = true))
    await vi.advanceTimersByTimeAsync(99)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await ready).toMatchObject({ state: 'error' })
    vi.useRealTimers()
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const path = join(tempDir(), 'flags.json')
    write(path, config('r1'))
    const watchers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length
    const before = watchers()
    const docs: unknown[] = []
    const stop = file(path, { watch: true, debounceMs: 50 }).start((doc) => docs.push(doc), () => {})
    await until(() => expect(docs).toHaveLength(1))
    expect(watchers()).toBe(before + 1)
    write(path, config('r2'))
    await until(() => expect(vi.getTimerCount()).toBe(1)) // the debounce timer is pending
    stop()
    expect(vi.getTimerCount()).toBe(0) // cleared, not left to fire
    await vi.advanceTimersByTimeAsync(1_000)
    expect(docs).toHaveLength(1)
    await until(() => expect(watchers()).toBe(before)) // the watcher's handle closes
  })
})
