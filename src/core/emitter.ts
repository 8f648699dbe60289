import type { Logger } from './logger.ts'
import { warnOnce } from './warn.ts'

/** A listener map: event name → listener signature. */
export type EventMap<E> = { [K in keyof E]: (...args: never[]) => void }

/** A minimal typed emitter. */
export interface Emitter<E extends EventMap<E>> {
  on<K extends keyof E>(event: K, listener: E[K]): () => void
  off<K extends keyof E>(event: K, listener: E[K]): void
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void
  has(event: keyof E): boolean
  clear(): void
}

/**
 * Typed events with isolated listeners: a listener that throws is reported once (in development)
 * and never stops the others nor reaches the code that emitted.
 *
 * Our own ~30 lines instead of eventemitter3: we need the per-listener isolation anyway (eventemitter3
 * stops at the first throwing listener and rethrows into the emitter), and it would cost about a
 * quarter of the 4 kB core budget.
 */
/* @__NO_SIDE_EFFECTS__ */
export function createEmitter<E extends EventMap<E>>(logger?: Logger): Emitter<E> {
  const listeners = new Map<keyof E, Set<E[keyof E]>>()
  const off = <K extends keyof E>(event: K, listener: E[K]): void => {
    listeners.get(event)?.delete(listener)
  }
  return {
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return () => off(event, listener)
    },
    off,
    emit(event, ...args) {
      const set = listeners.get(event)
      if (!set) return
      for (const listener of [...set]) {
        try {
          ;(listener as (...a: Parameters<E[typeof event]>) => void)(...args)
        } catch (error) {
          try {
            if (process.env.NODE_ENV !== 'production') warnOnce(`a "${String(event)}" listener threw; other listeners still ran`, error, undefined, logger)
          } catch {}
        }
      }
    },
    has: (event) => !!listeners.get(event)?.size,
    clear: () => listeners.clear(),
  }
}
