import { toFlagstageError, type FlagstageError } from './errors.ts'
import type { EmitMeta, Source, SourceHandle } from './source.ts'

/** A started source, as the client drives it. */
export interface SourceRunner {
  /** Called when the client is used: restarts a dormant source, or lets a running one check on itself. */
  wake(): void
  stop(): void
}

/**
 * workerd refuses I/O, timers and randomness at module scope ("Disallowed operation called within
 * global scope"), where Workers usually create their client. That refusal is not a failure of the
 * source: the source goes dormant and starts again inside the first request that uses the client.
 */
const refusedAtGlobalScope = (error: unknown): boolean => {
  for (let e = error as { message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.message === 'string' && e.message.includes('within global scope')) return true
  }
  return false
}

/**
 * Start `source` for a client. If the runtime refuses its I/O outside a request (workerd), stop it
 * silently, call `dormant(true)`, and start it again at the next `wake()` (`dormant(false)`).
 */
export const runSource = (
  source: Source,
  emit: (document: unknown, meta?: EmitMeta) => unknown,
  fail: (error: FlagstageError) => void,
  dormant: (asleep: boolean) => void,
): SourceRunner => {
  let handle: SourceHandle | undefined
  let asleep = false
  let stopped = false
  const sleep = (): void => {
    if (asleep || stopped) return
    asleep = true
    const h = handle
    handle = undefined
    try {
      h?.()
    } catch {
      // a source that cannot stop cleanly at module scope has nothing running anyway
    }
    dormant(true)
  }
  const onFail = (error: FlagstageError): void => {
    if (refusedAtGlobalScope(error)) sleep()
    else if (!asleep && !stopped) fail(error)
  }
  // Passes the client's verdict back: `false` for a rejected document (issue #9, Source contract).
  const onEmit = (document: unknown, meta?: EmitMeta): unknown => (!asleep && !stopped ? emit(document, meta) : false)
  const begin = (): void => {
    try {
      const h: SourceHandle = source.start(onEmit, onFail)
      if (asleep || stopped) h()
      else handle = h
    } catch (error) {
      if (refusedAtGlobalScope(error)) sleep()
      else queueMicrotask(() => onFail(toFlagstageError(error)))
    }
  }
  begin()
  return {
    wake: () => {
      if (stopped) return
      if (asleep) {
        asleep = false
        dormant(false)
        begin()
      } else handle?.wake?.()
    },
    stop: () => {
      stopped = true
      handle?.()
      handle = undefined
    },
  }
}
