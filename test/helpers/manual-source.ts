import type { EmitMeta, FlagstageError, Source } from 'flagstage'

/** A source the test drives by hand: push documents and errors, count starts and stops. */
export interface ManualSource {
  source: Source
  push(document: unknown, meta?: EmitMeta): void
  fail(error: FlagstageError): void
  readonly starts: number
  readonly stops: number
}

export const manualSource = (): ManualSource => {
  let emit: ((document: unknown, meta?: EmitMeta) => void) | undefined
  let fail: ((error: FlagstageError) => void) | undefined
  let starts = 0
  let stops = 0
  return {
    source: {
      start(e, f) {
        starts++
        emit = e
        fail = f
        return () => {
          stops++
          emit = undefined
          fail = undefined
        }
      },
    },
    push: (document, meta) => emit?.(document, meta),
    fail: (error) => fail?.(error),
    get starts() { return starts },
    get stops() { return stops },
  }
}
