import type { EvaluationContext, JsonValue, Paradigm, ResolutionDetails } from '@openfeature/core'
import { toFlagstageContext, type Client } from 'flagstage'
import { FlagstageProviderBase, type FlagstageProviderOptions } from './lifecycle.ts'
import { failure, toResolution, type FlagType } from './resolution.ts'

/**
 * flagstage as an OpenFeature provider for `@openfeature/web-sdk` (and `@openfeature/react-sdk`):
 * the static context lives in the flagstage client. `initialize` adopts OpenFeature's context (when
 * it has any attribute) and `onContextChange` sets the new one on the client and re-evaluates
 * locally, synchronously: no network call and no RECONCILING state.
 *
 * Events: READY / ERROR from `initialize`; CONFIGURATION_CHANGED with `flagsChanged` (the flags whose
 * value or variant changed for the current context, schedule and ramp steps included) after a new
 * config; STALE while the source fails over a good config, READY when it recovers.
 * @example
 * import { OpenFeature } from '@openfeature/web-sdk'
 * import { http } from 'flagstage'
 * import { FlagstageWebProvider } from 'flagstage/openfeature'
 * await OpenFeature.setContext({ targetingKey: 'u-42' })
 * await OpenFeature.setProviderAndWait(new FlagstageWebProvider({ source: http('/flags.json') }))
 * OpenFeature.getClient().getBooleanValue('new-checkout', false)
 */
export class FlagstageWebProvider extends FlagstageProviderBase {
  readonly runsOn: Paradigm = 'client'
  /** True while the provider itself sets the context: those `change` events are context changes, not config changes. */
  #adopting = false

  constructor(options: FlagstageProviderOptions) {
    super(options)
  }

  protected watchChanges(client: Client): () => void {
    return client.on('change', ({ keys, revision }) => {
      if (!this.#adopting) this.changed(keys, revision)
    })
  }

  protected override adoptContext(context: EvaluationContext | undefined): void {
    if (context && Object.keys(context).length) this.#setContext(context)
  }

  /** Re-evaluates locally for the new context; the SDK then emits CONTEXT_CHANGED. */
  onContextChange(_oldContext: EvaluationContext, newContext: EvaluationContext): void {
    this.#setContext(newContext)
  }

  #setContext(context: EvaluationContext): void {
    this.#adopting = true
    try {
      this.client.setContext(toFlagstageContext(context))
    } finally {
      this.#adopting = false
    }
  }

  #resolve<T extends JsonValue>(key: string, defaultValue: T, type: FlagType): ResolutionDetails<T> {
    try {
      // The client's own read: the context set above, and `impression` events for its listeners.
      return toResolution(this.client.explain(key), defaultValue, type, this.client)
    } catch (error) {
      return failure(defaultValue, 'GENERAL', `flagstage: evaluating "${key}" threw: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  resolveBooleanEvaluation(key: string, defaultValue: boolean): ResolutionDetails<boolean> {
    return this.#resolve(key, defaultValue, 'boolean')
  }

  resolveStringEvaluation(key: string, defaultValue: string): ResolutionDetails<string> {
    return this.#resolve(key, defaultValue, 'string')
  }

  resolveNumberEvaluation(key: string, defaultValue: number): ResolutionDetails<number> {
    return this.#resolve(key, defaultValue, 'number')
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T): ResolutionDetails<T> {
    return this.#resolve(key, defaultValue, 'object')
  }
}
