import type { EvaluationContext, JsonValue, Paradigm, ResolutionDetails } from '@openfeature/core'
import { toFlagstageContext, type Client } from 'flagstage'
import { FlagstageProviderBase, type FlagstageProviderOptions } from './lifecycle.ts'
import { failure, toResolution, type FlagType } from './resolution.ts'

/**
 * flagstage as an OpenFeature provider for `@openfeature/server-sdk`: flags are evaluated locally,
 * per call, for the context OpenFeature passes (`targetingKey` → `userId`), through one
 * `client.forContext(...)` each time; the provider keeps no per-request state, so concurrent requests
 * never see each other's context.
 *
 * Events: READY / ERROR from `initialize`; CONFIGURATION_CHANGED with `flagsChanged` (the flags whose
 * definition changed, or that read one that did) on every new config; STALE while the source fails
 * over a good config, READY when it recovers.
 * @example
 * import { OpenFeature } from '@openfeature/server-sdk'
 * import { http } from 'flagstage'
 * import { FlagstageProvider } from 'flagstage/openfeature'
 * await OpenFeature.setProviderAndWait(new FlagstageProvider({ source: http('https://cdn.example.com/flags.json') }))
 * const enabled = await OpenFeature.getClient().getBooleanValue('new-checkout', false, { targetingKey: 'u-42' })
 */
export class FlagstageProvider extends FlagstageProviderBase {
  readonly runsOn: Paradigm = 'server'

  constructor(options: FlagstageProviderOptions) {
    super(options)
  }

  protected watchChanges(client: Client): () => void {
    return client.on('config', ({ keys, revision }) => this.changed(keys, revision))
  }

  #resolve<T extends JsonValue>(key: string, defaultValue: T, context: EvaluationContext, type: FlagType): ResolutionDetails<T> {
    try {
      return toResolution(this.client.forContext(toFlagstageContext(context)).explain(key), defaultValue, type, this.client)
    } catch (error) {
      return failure(defaultValue, 'GENERAL', `flagstage: evaluating "${key}" threw: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.#resolve(key, defaultValue, context, 'boolean')
  }

  async resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.#resolve(key, defaultValue, context, 'string')
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.#resolve(key, defaultValue, context, 'number')
  }

  async resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.#resolve(key, defaultValue, context, 'object')
  }
}
