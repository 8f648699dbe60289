import type { AnyProviderEvent, EventContext, EventHandler, Logger, ProviderEventEmitter } from '@openfeature/core'

/** The OpenFeature provider events flagstage emits (string values of the SDKs' `ProviderEvents`). */
export const ProviderEvent = {
  READY: 'PROVIDER_READY',
  ERROR: 'PROVIDER_ERROR',
  STALE: 'PROVIDER_STALE',
  CONFIGURATION_CHANGED: 'PROVIDER_CONFIGURATION_CHANGED',
} as const

/**
 * The `events` emitter of a flagstage provider. Our own few lines rather than the SDK's
 * `OpenFeatureEventEmitter`: the SDKs are optional peers, so `flagstage/openfeature` imports nothing
 * from them at runtime (a server app need not install the web SDK, nor the reverse), and the SDK
 * only ever calls `addHandler` / `removeHandler` on a provider's emitter. A handler that throws or
 * rejects is logged and never stops the others.
 */
export class FlagstageEventEmitter implements ProviderEventEmitter<AnyProviderEvent> {
  readonly #handlers = new Map<string, Set<EventHandler>>()
  #logger: Logger | undefined

  emit(event: string, context?: EventContext): void {
    const set = this.#handlers.get(event)
    if (!set) return
    for (const handler of [...set]) {
      try {
        const result = handler(context as never)
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          ;(result as Promise<unknown>).then(undefined, (error: unknown) => this.#report(event, error))
        }
      } catch (error) {
        this.#report(event, error)
      }
    }
  }

  addHandler(event: string, handler: EventHandler): void {
    let set = this.#handlers.get(event)
    if (!set) this.#handlers.set(event, (set = new Set()))
    set.add(handler)
  }

  removeHandler(event: string, handler: EventHandler): void {
    this.#handlers.get(event)?.delete(handler)
  }

  removeAllHandlers(event?: string): void {
    if (event === undefined) this.#handlers.clear()
    else this.#handlers.delete(event)
  }

  getHandlers(event: string): EventHandler[] {
    return [...(this.#handlers.get(event) ?? [])]
  }

  setLogger(logger: Logger): this {
    this.#logger = logger
    return this
  }

  #report(event: string, error: unknown): void {
    this.#logger?.error(`flagstage: a ${event} handler failed`, error)
  }
}
