/** A clock for tests: time moves only when you say, and timers armed on it fire in order as it passes them. */
export interface TestClock {
  /** The current instant (ms since epoch); pass as a client's `now`. */
  now: () => number
  /** Move forward by `ms`, firing every timer due on the way, at its own instant, in order. */
  advance: (ms: number) => void
  /** Jump to an instant (ms, ISO string or Date). Forward, as `advance`; backward, pending timers fire at once so clients re-check. */
  set: (instant: number | string | Date) => void
  /** Arm a timer on this clock; pass as a client's `timer`. Returns a cancel function. */
  timer: (callback: () => void, ms: number) => () => void
  /** How many timers are armed. */
  pending: () => number
}

interface Pending { due: number; seq: number; callback: () => void }

const toInstant = (instant: number | string | Date): number => {
  const t = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant
  if (!Number.isFinite(t)) throw new TypeError(`flagstage/testing: not an instant: ${String(instant)}`)
  return t
}

/** Guards against a timer that re-arms itself for the same instant forever. */
const MAX_FIRINGS = 1_000_000

/**
 * A controllable clock: `createTestClient` makes one for you (`client.clock`); make your own to share one
 * clock between several clients. No real waiting, no fake-timer library: the client arms its schedule and
 * ramp timers on this clock (the `timer` client option) and they fire as `advance` / `set` pass them.
 * @example
 * const clock = createTestClock('2026-12-01T08:00:00Z')
 * const client = createClient({ bootstrap: config, now: clock.now, timer: clock.timer })
 * clock.advance(60 * 60 * 1000) // fires the 09:00 schedule boundary: `change` is emitted
 */
export const createTestClock = (start: number | string | Date = Date.now()): TestClock => {
  let t = toInstant(start)
  let seq = 0
  const timers: Pending[] = []
  const fireUntil = (target: number): void => {
    for (let n = 0; n < MAX_FIRINGS; n++) {
      let next: Pending | undefined
      for (const p of timers) if (p.due <= target && (!next || p.due < next.due || (p.due === next.due && p.seq < next.seq))) next = p
      if (!next) break
      timers.splice(timers.indexOf(next), 1)
      if (next.due > t) t = next.due
      next.callback()
    }
    t = target
  }
  return {
    now: () => t,
    advance: (ms) => {
      if (!(ms >= 0)) throw new RangeError(`flagstage/testing: advance(ms) needs ms >= 0, got ${ms}`)
      fireUntil(t + ms)
    },
    set: (instant) => {
      const target = toInstant(instant)
      if (target >= t) return fireUntil(target)
      t = target
      for (const p of timers.splice(0)) p.callback()
    },
    timer: (callback, ms) => {
      const p: Pending = { due: t + Math.max(0, ms), seq: seq++, callback }
      timers.push(p)
      return () => {
        const i = timers.indexOf(p)
        if (i >= 0) timers.splice(i, 1)
      }
    },
    pending: () => timers.length,
  }
}
