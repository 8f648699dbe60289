import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type Client, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

// The change diff after a config edit: which flags are evaluated again, and which changes are announced.
const clients: Client[] = []
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
})
const cfg = (revision: string, flags: Config['flags']): Config => ({ schemaVersion: 1, revision, flags })
const split = (weights: Record<string, number>) => ({
  enabled: true, variants: { a: 'A', b: 'B' }, offVariant: 'a', rules: [{ serve: { split: weights, by: 'userId' } }],
})
const value = (v: unknown) => ({ enabled: true, variants: { on: v as never, off: null }, rules: [{ serve: 'on' }] })

describe('change diff', () => {
  it('announces nothing when a new document has the same flags, however they were built', () => {
    const m = manualSource()
    const c = createClient({ source: m.source, context: { userId: 'u1' } })
    clients.push(c)
    m.push(cfg('r1', { x: value({ deep: [1, { y: 'z' }] }), s: split({ a: 50, b: 50 }) }))
    const changes: unknown[] = []
    c.on('change', (e) => changes.push(e))
    m.push(JSON.parse(JSON.stringify(cfg('r2', { x: value({ deep: [1, { y: 'z' }] }), s: split({ a: 50, b: 50 }) }))))
    expect(changes).toEqual([])
  })

  it('sees a change deep in a variant value, and in the order of split weights', () => {
    const m = manualSource()
    // Find a unit whose variant moves when the split's order is swapped (the first variant takes the low buckets).
    const probe = (weights: Record<string, number>, userId: string): string | undefined =>
      createClient({ bootstrap: cfg('p', { s: split(weights) }), context: { userId } }).variant('s').name
    const userId = Array.from({ length: 100 }, (_, i) => `u${i}`).find((u) => probe({ a: 30, b: 70 }, u) !== probe({ b: 70, a: 30 }, u))!
    expect(userId).toBeDefined()
    const c = createClient({ source: m.source, context: { userId } })
    clients.push(c)
    m.push(cfg('r1', { x: value({ deep: [1, { y: 'z' }] }), s: split({ a: 30, b: 70 }) }))
    const changes: { keys: string[] }[] = []
    c.on('change', (e) => changes.push(e))
    m.push(cfg('r2', { x: value({ deep: [1, { y: 'w' }] }), s: split({ a: 30, b: 70 }) }))
    m.push(cfg('r3', { x: value({ deep: [1, { y: 'w' }] }), s: split({ b: 70, a: 30 }) }))
    expect(changes.map((e) => e.keys)).toEqual([['x'], ['s']])
  })

  it('evaluates again only the flags an edit touches (the others keep their entry)', () => {
    const m = manualSource()
    const c = createClient({ source: m.source, context: { userId: 'u1' } })
    clients.push(c)
    const flags: Config['flags'] = {}
    for (let i = 0; i < 50; i++) flags[`f${i}`] = { enabled: true, rules: [{ serve: { rollout: 50 } }] }
    m.push(cfg('r1', flags))
    c.on('change', () => {})
    const before = c.snapshot()
    // A merge-patch-like edit: the same flag objects, one replaced.
    m.push(cfg('r2', { ...flags, f7: { enabled: false } }))
    const after = c.snapshot()
    expect(after.flags.f7).toEqual({ variant: 'off', value: false, enabled: false })
    for (let i = 0; i < 50; i++) if (i !== 7) expect(after.flags[`f${i}`]).toEqual(before.flags[`f${i}`])
  })
})

// Mutation-testing survivors (src/core/diff.ts): what counts as a change, and what a config edit re-evaluates.
describe('change diff, value by value', () => {
  const variants = (before: unknown, after: unknown): string[][] => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    clients.push(c)
    m.push(cfg('r1', { x: value(before) }))
    const keys: string[][] = []
    c.on('change', (e) => keys.push(e.keys))
    m.push(cfg('r2', { x: value(after) }))
    return keys
  }

  it('sees a variant value change between numbers, to null, from an array to an object, and a key added', () => {
    expect(variants(1, 2)).toEqual([['x']])
    expect(variants({ x: 1 }, null)).toEqual([['x']])
    expect(variants([], {})).toEqual([['x']])
    expect(variants([1], { 0: 1 })).toEqual([['x']])
    expect(variants({ x: 1 }, { x: 1, y: 2 })).toEqual([['x']])
    expect(variants({ 0: 'x' }, 'x')).toEqual([['x']])
    expect(variants('x', { 0: 'x' })).toEqual([['x']])
    expect(variants({ x: [1, 2] }, { x: [1, 2] })).toEqual([])
  })

  it('sees a switch between two variants of the same value, and a removed flag', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    clients.push(c)
    const twins = (serve: string) => ({ enabled: true, variants: { p: 'same', q: 'same', z: 'none' }, offVariant: 'z', rules: [{ serve }] })
    m.push(cfg('r1', { t: twins('p'), gone: value(1) }))
    const keys: string[][] = []
    c.on('change', (e) => keys.push(e.keys))
    m.push(cfg('r2', { t: twins('q'), gone: value(1) }))
    m.push(cfg('r3', { t: twins('q') }))
    expect(keys).toEqual([['t'], ['gone']])
  })

  it('sees enabled alone change between two snapshots', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    clients.push(c)
    const snap = (enabled: boolean) => ({ evaluated: true, flags: { s: { variant: 'on', value: true, enabled } } })
    m.push(snap(true))
    const keys: string[][] = []
    c.on('change', (e) => keys.push(e.keys))
    m.push(snap(false))
    expect(keys).toEqual([['s']])
  })

  it('re-evaluates, at an edit of another flag, the flags that move with the clock (schedule, ramp)', () => {
    const T0 = Date.parse('2026-12-01T08:00:00Z')
    let t = T0
    const m = manualSource()
    // A timer that never fires: the clock moves past the schedule and through the ramp unannounced.
    const c = createClient({ source: m.source, context: { userId: 'u1' }, now: () => t, timer: () => () => {} })
    clients.push(c)
    const iso = (ms: number) => new Date(ms).toISOString()
    const flags = (other: boolean): Config['flags'] => ({
      launch: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: iso(T0 + 1000) } },
      ramp: {
        enabled: true,
        rules: [
          { if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'off' },
          { serve: { rollout: { from: 0, to: 100, start: iso(T0), end: iso(T0 + 2000) } } },
        ],
      },
      other: other ? { enabled: true, rules: [{ serve: 'on' }] } : { enabled: false },
    })
    m.push(cfg('r1', flags(false)))
    const keys: string[][] = []
    c.on('change', (e) => keys.push(e.keys))
    t = T0 + 5000
    m.push(cfg('r2', flags(true)))
    expect(keys).toEqual([['launch', 'ramp', 'other']])
  })
})
