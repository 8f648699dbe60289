// Issue #9 item 3: nothing a source sends can crash the process or escape a source, the change diff
// or a listener; evaluated snapshots are held to a config's limits. Real node:http servers.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EVENTUALLY } from '../helpers/timeouts.ts'
import fc from 'fast-check'
import { createClient, FlagstageError, http, sse } from 'flagstage'
import { closeServers, startServer } from '../helpers/server.ts'
import { manualSource } from '../helpers/manual-source.ts'
import { event, open } from './sse-server.ts'

afterEach(closeServers)

/** `{"k":{"k":…1…}}` nested `n` deep, as text (JSON.stringify itself would overflow the stack). */
const nested = (n: number): string => '{"k":'.repeat(n) + '1' + '}'.repeat(n)
const goodSnapshot = { evaluated: true as const, revision: 's1', flags: { a: { variant: 'on', value: true, enabled: true } } }
const deepSnapshot = (n: number): string =>
  `{"evaluated":true,"revision":"s2","flags":{"a":{"variant":"on","value":${nested(n)},"enabled":true}}}`

describe('evaluated snapshots from a source', () => {
  it('rejects a snapshot value nested 10,000 deep with its path, keeps the last good one, and the process lives', async () => {
    let deep = false
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(deep ? deepSnapshot(10_000) : JSON.stringify(goodSnapshot))
    })
    const client = createClient({ source: http(server.origin, { pollMs: 10, retryBaseMs: 1, retryMaxMs: 5 }) })
    const errors: FlagstageError[] = []
    client.on('error', (error) => errors.push(error))
    await client.ready()
    let changes = 0
    client.on('change', () => changes++)
    expect(client.isEnabled('a')).toBe(true)
    deep = true
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), EVENTUALLY)
    client.close()
    expect(errors[0]).toBeInstanceOf(FlagstageError)
    expect(errors[0]!.code).toBe('INVALID_CONFIG')
    expect(errors[0]!.path).toMatch(/^flags\.a\.value(\.k)+$/)
    expect(errors[0]!.message).toContain('nested deeper than 32')
    expect(client.isEnabled('a')).toBe(true)
    expect(client.status().revision).toBe('s1')
    expect(changes).toBe(0)
  })

  it.each([
    ['an unknown key', { ...goodSnapshot, flgs: {} }, 'flgs'],
    ['flags that are no object', { evaluated: true, flags: [] }, 'flags'],
    ['an entry without a variant', { evaluated: true, flags: { a: { value: 1 } } }, 'flags.a.variant'],
    ['an entry without a value', { evaluated: true, flags: { a: { variant: 'on' } } }, 'flags.a.value'],
    ['an entry with a typo', { evaluated: true, flags: { a: { variant: 'on', value: 1, enabld: true } } }, 'flags.a.enabld'],
    ['a non-boolean enabled', { evaluated: true, flags: { a: { variant: 'on', value: 1, enabled: 'yes' } } }, 'flags.a.enabled'],
    ['a non-JSON value', { evaluated: true, flags: { a: { variant: 'on', value: Number.NaN } } }, 'flags.a.value'],
    ['a numeric revision', { evaluated: true, revision: 7, flags: {} }, 'revision'],
    ['an empty key', { evaluated: true, flags: { '': { variant: 'on', value: 1 } } }, 'flags[""]'],
  ])('rejects a snapshot with %s at its JSON path', (_what, document, path) => {
    const { source, push } = manualSource()
    const client = createClient({ source, bootstrap: goodSnapshot })
    const errors: FlagstageError[] = []
    client.on('error', (error) => errors.push(error))
    push(document)
    expect(errors.map((e) => [e.code, e.path])).toEqual([['INVALID_CONFIG', path]])
    expect(client.isEnabled('a')).toBe(true)
    client.close()
  })

  it('accepts or rejects with a FlagstageError any generated snapshot, never throws, and rejects every broken mutant', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.boolean(), fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 })),
    })).value
    const entry = fc.record({ variant: fc.string({ minLength: 1 }), value: json, enabled: fc.boolean() }, { requiredKeys: ['variant', 'value'] })
    const snapshot = fc.record({ evaluated: fc.constant(true), revision: fc.string(), flags: fc.dictionary(fc.string({ minLength: 1 }), entry) }, { requiredKeys: ['evaluated', 'flags'] })
    // Each mutant breaks one entry in a way the shape forbids.
    const breakEntry = fc.constantFrom<(e: Record<string, unknown>) => unknown>(
      (e) => ({ ...e, variant: 1 }),
      (e) => ({ ...e, variant: '' }),
      ({ value: _v, ...e }) => e,
      (e) => ({ ...e, enabled: 'true' }),
      (e) => ({ ...e, extra: 1 }),
      (e) => ({ ...e, value: JSON.parse(nested(40)) }),
      () => 'on',
      () => null,
    )
    fc.assert(fc.property(snapshot, fc.option(fc.tuple(fc.nat(), breakEntry)), (doc, mutation) => {
      const keys = Object.keys(doc.flags)
      if (mutation && keys.length) {
        const key = keys[mutation[0] % keys.length]!
        doc = { ...doc, flags: { ...doc.flags, [key]: mutation[1](doc.flags[key]!) as never } }
      }
      const { source, push } = manualSource()
      const client = createClient({ source })
      const errors: FlagstageError[] = []
      client.on('error', (error) => errors.push(error))
      expect(() => push(doc)).not.toThrow()
      if (mutation && keys.length) {
        expect(errors).toHaveLength(1)
        expect(errors[0]).toBeInstanceOf(FlagstageError)
      } else {
        expect(errors).toEqual([])
        for (const key of keys) expect(client.variant(key).name).toBe(doc.flags[key]!.variant)
      }
      client.close()
    }), { numRuns: 300 })
  })
})

describe('configs and patches from a source', () => {
  it('rejects a config whose meta is nested 10,000 deep (INVALID_CONFIG at meta)', () => {
    const { source, push } = manualSource()
    const client = createClient({ source })
    const errors: FlagstageError[] = []
    client.on('error', (error) => errors.push(error))
    push(JSON.parse(`{"schemaVersion":1,"meta":${nested(10_000)},"flags":{}}`))
    expect(errors[0]?.code).toBe('INVALID_CONFIG')
    expect(errors[0]?.path).toMatch(/^meta(\.k)+$/)
    client.close()
  })

  it('reports a merge patch nested 100,000 deep as INVALID_CONFIG, not a network error, and keeps the last good config', async () => {
    const base = { schemaVersion: 1, revision: 'r1', flags: { a: { enabled: true, rules: [{ serve: 'on' }] } } }
    const server = await startServer((req, res) => {
      if (req.url !== '/stream') return void res.writeHead(404).end()
      open(res).write(event('config', base, 'r1') +
        `id: r2\nevent: patch\ndata: {"baseRevision":"r1","patch":{"flags":{"a":${nested(100_000)}}}}\n\n`)
    })
    const client = createClient({ source: sse(`${server.origin}/stream`, { retryBaseMs: 1_000, timeoutMs: 15_000 }) })
    const errors: FlagstageError[] = []
    client.on('error', (error) => errors.push(error))
    await client.ready()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), EVENTUALLY)
    client.close()
    expect(errors[0]!.code).toBe('INVALID_CONFIG')
    expect(client.isEnabled('a')).toBe(true)
  })

  it('a throwing change or config listener reaches neither the source nor the other listeners', () => {
    const { source, push } = manualSource()
    const client = createClient({ source })
    const seen: string[] = []
    client.on('config', () => { throw new Error('config listener') })
    client.on('change', () => { throw new Error('change listener') })
    client.on('change', ({ keys }) => seen.push(...keys))
    client.subscribe(() => { throw new Error('subscriber') })
    expect(() => push({ schemaVersion: 1, flags: { a: { enabled: true, rules: [{ serve: 'on' }] } } })).not.toThrow()
    expect(seen).toEqual(['a'])
    client.close()
  })
})
