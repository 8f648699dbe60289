// What servers need from a client: one config per request (pinned forContext evaluators), a `config`
// event on reload with the flags whose definition changed, `getConfig()`, impressions from per-request
// evaluators, and impressions read just before close() still delivered.
import { describe, expect, it } from 'vitest'
import { createClient } from 'flagstage'
import type { Config, ConfigEvent, ImpressionEvent } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const base = (revision: string, flags: Config['flags'] = {}, segments: Config['segments'] = {}): Config => ({
  schemaVersion: 1,
  revision,
  segments: { staff: { attr: 'email', op: 'endsWith', value: '@corp.example' }, inner: { segment: 'staff' }, ...segments },
  flags: {
    plain: { enabled: true, rules: [{ serve: 'on' }] },
    staffOnly: { enabled: true, rules: [{ if: { segment: 'inner' }, serve: 'on' }] },
    needsPlain: { enabled: true, requires: [{ flag: 'plain' }], rules: [{ serve: 'on' }] },
    other: { enabled: false },
    ...flags,
  },
})

describe('client.forContext() pinning', () => {
  it('answers from the config in force when the evaluator was made, through a reload', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    m.push(base('r1'))
    const request = c.forContext({ userId: 'u1' })
    expect(request.isEnabled('plain')).toBe(true)
    m.push(base('r2', { plain: { enabled: false } }))
    expect(c.isEnabled('plain')).toBe(false) // the client itself follows
    expect(request.isEnabled('plain')).toBe(true)
    expect(request.variant('plain').name).toBe('on')
    expect(request.value('plain', false)).toBe(true)
    expect(request.explain('plain').revision).toBe('r1')
    expect(request.snapshot().revision).toBe('r1')
    // A new evaluator reads the new config.
    expect(c.forContext({ userId: 'u1' }).isEnabled('plain')).toBe(false)
    c.close()
  })

  it('follows reloads with pin: false', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    m.push(base('r1'))
    const live = c.forContext({ userId: 'u1' }, { pin: false })
    expect(live.isEnabled('plain')).toBe(true)
    m.push(base('r2', { plain: { enabled: false } }))
    expect(live.isEnabled('plain')).toBe(false)
    expect(live.explain('plain').revision).toBe('r2')
    c.close()
  })

  it('an evaluator made before any config stays on defaults when pinned, and not when unpinned', () => {
    const m = manualSource()
    const c = createClient({ source: m.source, defaults: { plain: false } })
    const early = c.forContext({})
    const live = c.forContext({}, { pin: false })
    m.push(base('r1'))
    expect(early.explain('plain')).toMatchObject({ reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', value: false })
    expect(live.isEnabled('plain')).toBe(true)
    c.close()
  })

  it('keeps its context and config out of sight: no own keys, JSON is {}, methods shared by every evaluator', () => {
    const c = createClient({ bootstrap: base('r1') })
    const a = c.forContext({ userId: 'u1', email: 'x@corp.example' })
    const b = c.forContext({ userId: 'u2' })
    const seen: string[] = []
    for (const key in a) seen.push(key)
    expect([Object.keys(a), Object.getOwnPropertyNames(a), seen]).toEqual([[], [], []])
    expect(JSON.stringify(a)).toBe('{}')
    expect(a.isEnabled).toBe(b.isEnabled)
    // Two evaluators made one after the other keep their own contexts.
    expect([a.isEnabled('staffOnly'), b.isEnabled('staffOnly'), a.isEnabled('staffOnly')]).toEqual([true, false, true])
    c.close()
  })
})

describe("client.on('config')", () => {
  const record = (c: ReturnType<typeof createClient>): ConfigEvent[] => {
    const events: ConfigEvent[] = []
    c.on('config', (e) => events.push(e))
    return events
  }

  it('lists every flag on the first load, then the flags whose definition changed', () => {
    const m = manualSource()
    const c = createClient({ source: m.source, context: { userId: 'me' } })
    const events = record(c)
    m.push(base('r1'))
    expect(events).toEqual([{ revision: 'r1', keys: ['plain', 'staffOnly', 'needsPlain', 'other'] }])
    // `plain` edited: needsPlain requires it, so it is listed too; the client's own answers may not change at all.
    m.push(base('r2', { plain: { enabled: true, salt: 'new', rules: [{ serve: 'on' }] } }))
    expect(events[1]).toEqual({ revision: 'r2', keys: ['plain', 'needsPlain'] })
    // A segment read through another segment changed: the flag reading the outer one is listed.
    m.push(base('r3', { plain: { enabled: true, salt: 'new', rules: [{ serve: 'on' }] } }, { staff: { attr: 'email', op: 'endsWith', value: '@new.example' } }))
    expect(events[2]).toEqual({ revision: 'r3', keys: ['staffOnly'] })
    // A removed flag and an added one.
    const next = base('r4', { plain: { enabled: true, salt: 'new', rules: [{ serve: 'on' }] }, added: { enabled: true } }, { staff: { attr: 'email', op: 'endsWith', value: '@new.example' } })
    delete (next.flags as Record<string, unknown>).other
    m.push(next)
    expect(events[3]).toEqual({ revision: 'r4', keys: ['added', 'other'] })
    // Same definitions, new revision: an event with no keys (the revision moved).
    m.push({ ...next, revision: 'r5' })
    expect(events[4]).toEqual({ revision: 'r5', keys: [] })
    c.close()
  })

  it('is not emitted for a 304 or a rejected document, and lists changed entries for snapshots', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    c.on('error', () => {})
    const events = record(c)
    m.push({ evaluated: true, revision: 's1', flags: { a: { variant: 'on', value: true, enabled: true }, b: { variant: 'off', value: false, enabled: false } } })
    m.push(undefined, { notModified: true })
    m.push({ schemaVersion: 2 })
    m.push({ evaluated: true, revision: 's2', flags: { a: { variant: 'on', value: true, enabled: true }, c: { variant: 'x', value: 1, enabled: true } } })
    expect(events).toEqual([{ revision: 's1', keys: ['a', 'b'] }, { revision: 's2', keys: ['c', 'b'] }])
    c.close()
  })
})

describe('client.getConfig()', () => {
  it('is the config in force, and undefined before one or for a snapshot', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    expect(c.getConfig()).toBeUndefined()
    m.push(base('r1'))
    expect(c.getConfig()).toMatchObject({ revision: 'r1', flags: { plain: { enabled: true } } })
    m.push({ evaluated: true, revision: 's1', flags: {} })
    expect(c.getConfig()).toBeUndefined()
    c.close()
  })

  it('is already the new config inside a config listener', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    const seen: (string | undefined)[] = []
    c.on('config', () => seen.push(c.getConfig()?.revision))
    m.push(base('r1'))
    m.push(base('r2'))
    expect(seen).toEqual(['r1', 'r2'])
    c.close()
  })
})

describe('impressions from forContext() evaluators', () => {
  it('are emitted once per flag, variant and unit, with the request context', async () => {
    const c = createClient({ bootstrap: base('r1') })
    const seen: ImpressionEvent[] = []
    c.on('impression', (e) => seen.push(e))
    for (const userId of ['u1', 'u2', 'u1']) {
      const flags = c.forContext({ userId })
      flags.isEnabled('plain')
      flags.variant('other')
    }
    await Promise.resolve()
    expect(seen).toEqual([
      { key: 'plain', variant: 'on', value: true, reason: 'STATIC', unit: 'u1' },
      { key: 'other', variant: 'off', value: false, reason: 'DISABLED', unit: 'u1' },
      { key: 'plain', variant: 'on', value: true, reason: 'STATIC', unit: 'u2' },
      { key: 'other', variant: 'off', value: false, reason: 'DISABLED', unit: 'u2' },
    ])
    c.close()
  })

  it('are not emitted without a listener, and an impression read just before close() is delivered', async () => {
    const c = createClient({ bootstrap: base('r1') })
    c.forContext({ userId: 'before' }).isEnabled('plain')
    const seen: (string | undefined)[] = []
    c.on('impression', (e) => seen.push(e.unit))
    c.forContext({ userId: 'last' }).isEnabled('plain')
    c.close()
    expect(seen).toEqual(['last'])
    await Promise.resolve()
    expect(seen).toEqual(['last'])
    c.forContext({ userId: 'after' }).isEnabled('plain')
    await Promise.resolve()
    expect(seen).toEqual(['last'])
  })
})
