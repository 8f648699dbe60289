// The client's one timer (schedule boundaries, ramp steps): armed only while someone listens, only when
// something lies ahead, cancelled when re-armed or closed, and working with browser-style numeric timer ids.
// What surviving mutants of src/core/client.ts (schedule, subscribe, the default timer) showed untested.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { wakeCounter } from '../helpers/wake-counter.ts'
import { createClient, type Client, type Config } from 'flagstage'

const T0 = Date.parse('2026-12-01T08:00:00Z')
const iso = (t: number) => new Date(t).toISOString()
const cfg = (flags: Config['flags']): Config => ({ schemaVersion: 1, revision: 'r', flags })
const on = { enabled: true, rules: [{ serve: 'on' }] }
const launch = { enabled: true, rules: [{ serve: 'on' }], schedule: { from: iso(T0 + 3_600_000) } }
const ramped = (start: number, end: number) => ({ enabled: true, rules: [{ serve: { rollout: { from: 0, to: 100, start: iso(start), end: iso(end) } } }] })

/** A clock and a timer the test drives: `armed` lists every timer armed, with its delay. */
const manualTimer = (t = T0) => {
  const armed: { ms: number; callback: () => void; cancelled: boolean }[] = []
  return {
    armed,
    live: () => armed.filter((a) => !a.cancelled),
    now: () => t,
    set: (next: number) => void (t = next),
    timer: (callback: () => void, ms: number) => {
      const entry = { ms, callback, cancelled: false }
      armed.push(entry)
      return () => void (entry.cancelled = true)
    },
  }
}

const clients: Client[] = []
const track = <C extends Client>(c: C): C => (clients.push(c), c)
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
  vi.useRealTimers()
})

describe('the schedule timer', () => {
  it('is not armed while nobody listens, and is armed by the first subscriber alone', () => {
    const time = manualTimer()
    const c = track(createClient({ bootstrap: cfg({ launch }), now: time.now, timer: time.timer }))
    c.setContext({ userId: 'u' })
    expect(time.armed).toEqual([])
    const notified = vi.fn()
    c.subscribe(notified)
    c.subscribe(() => {})
    expect(time.armed.map((a) => a.ms)).toEqual([3_600_001])
    time.set(T0 + 3_600_001)
    time.armed[0]!.callback()
    expect(notified).toHaveBeenCalledTimes(1)
    expect(c.isEnabled('launch')).toBe(true)
  })

  it('is not armed when nothing lies ahead (no schedule, or every boundary passed)', () => {
    const time = manualTimer(T0 + 7_200_000)
    const c = track(createClient({ bootstrap: cfg({ a: on, launch }), now: time.now, timer: time.timer }))
    c.on('change', () => {})
    c.subscribe(() => {})
    expect(time.armed).toEqual([])
  })

  it('waits for a ramp to start (at its start, not in ramp steps), and stops once it ended', () => {
    const time = manualTimer()
    const c = track(createClient({ bootstrap: cfg({ later: ramped(T0 + 3_600_000, T0 + 7_200_000) }), now: time.now, timer: time.timer }))
    c.on('change', () => {})
    expect(time.live().map((a) => a.ms)).toEqual([3_600_001])
    time.set(T0 + 7_200_000) // exactly at its end: done
    c.setContext({ userId: 'u' })
    expect(time.live()).toEqual([])
    time.set(T0 + 9_000_000)
    c.setContext({ userId: 'v' })
    expect(time.live()).toEqual([])
  })

  it('re-arms in place: one live timer after each announce, none after close()', () => {
    const time = manualTimer()
    const c = createClient({ bootstrap: cfg({ launch }), now: time.now, timer: time.timer })
    c.on('change', () => {})
    c.setContext({ userId: 'u' })
    c.setContext({ userId: 'v' })
    expect(time.live()).toHaveLength(1)
    c.close()
    expect(time.live()).toEqual([])
  })

  it('is not armed for an evaluated snapshot, whose reads then leave the source alone', () => {
    const counter = wakeCounter()
    const source = counter.source
    const time = manualTimer()
    const c = track(createClient({
      source, now: time.now, timer: time.timer,
      bootstrap: { evaluated: true, revision: 's', flags: { a: { variant: 'on', value: true, enabled: true } } },
    }))
    c.on('change', () => {})
    c.subscribe(() => {})
    for (let i = 0; i < 3; i++) c.isEnabled('a')
    expect(time.armed).toEqual([])
    expect(counter.wakes).toBe(0)
  })
})

describe('listeners before any config', () => {
  it('arm nothing, and plain reads leave the source alone', () => {
    const counter = wakeCounter()
    const source = counter.source
    const time = manualTimer()
    const c = track(createClient({ source, now: time.now, timer: time.timer }))
    c.subscribe(() => {})
    c.on('change', () => {})
    for (let i = 0; i < 3; i++) c.isEnabled('a')
    expect(time.armed).toEqual([])
    expect(counter.wakes).toBe(0)
  })
})

describe('the default timer (setTimeout)', () => {
  it('is cleared by close(): no timer is left behind', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(T0)
    const c = createClient({ bootstrap: cfg({ launch }) })
    c.on('change', () => {})
    c.setContext({ userId: 'u' })
    expect(vi.getTimerCount()).toBe(1)
    c.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('works where setTimeout returns a number (browsers): armed once, not again at every read', () => {
    const real = globalThis.setTimeout
    const calls: number[] = []
    globalThis.setTimeout = ((callback: () => void, ms?: number) => (calls.push(ms ?? 0), Number(real(callback, 1e9)))) as typeof setTimeout
    try {
      const from = iso(Date.now() + 3_600_000)
      const c = track(createClient({ bootstrap: cfg({ launch: { ...launch, schedule: { from } } }) }))
      c.on('change', () => {})
      for (let i = 0; i < 3; i++) c.isEnabled('launch')
      expect(calls).toHaveLength(1)
      expect(calls[0]).toBeGreaterThan(3_500_000)
    } finally {
      globalThis.setTimeout = real
      for (const c of clients.splice(0)) c.close()
    }
  })
})

describe('a change listener added after the clock moved', () => {
  it('hears only what changes after it subscribed, not what moved while nobody listened', () => {
    const time = manualTimer()
    const c = track(createClient({ bootstrap: cfg({ launch, a: on }), now: time.now, timer: time.timer, context: { userId: 'u' } }))
    c.setContext({ userId: 'u' }) // an announce while nobody listens
    time.set(T0 + 3_600_001) // the launch passes, unannounced (no listener, no timer)
    const changes: string[][] = []
    c.on('change', (e) => changes.push(e.keys))
    c.setContext({ userId: 'u', plan: 'pro' })
    expect(changes).toEqual([])
    expect(c.isEnabled('launch')).toBe(true)
  })
})
