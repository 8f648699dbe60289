// Runs a source and records what it emits and reports. Call `stopSources()` in afterEach.
import type { EmitMeta, FlagstageError, Source } from 'flagstage'

export interface Recording {
  docs: unknown[]
  metas: (EmitMeta | undefined)[]
  errors: FlagstageError[]
  /** Error codes in order. */
  codes(): string[]
  /** performance.now() of every emit and fail. */
  events: { kind: 'emit' | 'fail'; at: number }[]
  stop(): void
}

const running = new Set<() => void>()

export const record = (source: Source): Recording => {
  const rec: Recording = {
    docs: [],
    metas: [],
    errors: [],
    events: [],
    codes: () => rec.errors.map((e) => e.code),
    stop: () => {},
  }
  const stop = source.start(
    (doc, meta) => {
      rec.docs.push(doc)
      rec.metas.push(meta)
      rec.events.push({ kind: 'emit', at: performance.now() })
    },
    (error) => {
      rec.errors.push(error)
      rec.events.push({ kind: 'fail', at: performance.now() })
    },
  )
  rec.stop = stop
  running.add(stop)
  return rec
}

export const stopSources = (): void => {
  for (const stop of running) stop()
  running.clear()
}

/** vi.waitFor options for fast loopback tests. */
export const soon = { timeout: 8_000, interval: 5 }
