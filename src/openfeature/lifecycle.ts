import type { EvaluationContext, ProviderMetadata, TrackingEventDetails } from '@openfeature/core'
import { createClient, toFlagstageContext, type Client, type ClientOptions, type Context, type Status } from 'flagstage'
import { FlagstageEventEmitter, ProviderEvent } from './events.ts'

/** A `provider.track(...)` call, as handed to the `track` option. */
export interface TrackEvent {
  /** The tracking event name, e.g. `'checkout-completed'`. */
  name: string
  /** The evaluation context, mapped like evaluations (`targetingKey` → `userId`). */
  context: Context
  /** OpenFeature's tracking details (`value` and custom fields), when given. */
  details: TrackingEventDetails | undefined
}

/** Options shared by `FlagstageProvider` and `FlagstageWebProvider`. */
export interface ProviderExtras {
  /** How long `initialize` waits for the first config before the provider reports ERROR. @default 5000 */
  readyTimeoutMs?: number
  /**
   * Receives every `track()` call (OpenFeature's tracking API) so you can forward it to your
   * analytics or experiment pipeline; flagstage itself sends nothing anywhere. Without it, `track` is a no-op.
   */
  track?: (event: TrackEvent) => void
}

/**
 * Provider options: an existing flagstage client (`{ client }`, which the provider never closes), or
 * `createClient` options (the provider creates the client and closes it in `onClose`).
 */
export type FlagstageProviderOptions = ({ client: Client } | ClientOptions) & ProviderExtras

/** An error with an OpenFeature error code, as the SDKs read it from a rejected `initialize`. */
const codedError = (code: string, message: string, cause?: unknown): Error =>
  Object.assign(new Error(message, { cause }), { code })

/** A key no config holds: `explain` on it tells "no config" (`PROVIDER_NOT_READY`) from "config loaded". */
const PROBE = '\u0000flagstage:probe'

const hasConfig = (client: Client): boolean => client.explain(PROBE).errorCode !== 'PROVIDER_NOT_READY'

/**
 * Resolves at once when a config is in force (bootstrap, cache, or loaded), else at the first config,
 * at the timeout, or as soon as the source fails with no config at all.
 */
const settle = (client: Client, timeoutMs: number): Promise<Status> =>
  new Promise((resolve) => {
    if (client.status().state === 'error' || hasConfig(client)) return resolve(client.status())
    const off = client.on('error', () => {
      if (client.status().state === 'error') done(client.status())
    })
    const done = (status: Status): void => {
      off()
      resolve(status)
    }
    void client.ready({ timeoutMs }).then(done)
  })

/**
 * What both providers share: the client (given or created), `initialize`, status events, `track`
 * and an idempotent `onClose`. Subclasses add the resolvers and say which client event means
 * "flags changed".
 */
export abstract class FlagstageProviderBase {
  /** `name` is what hooks and telemetry report as the provider (`feature_flag.provider.name`). */
  readonly metadata: ProviderMetadata = { name: 'flagstage' }
  /** Provider events: READY, ERROR, STALE and CONFIGURATION_CHANGED (with `flagsChanged`). */
  readonly events: FlagstageEventEmitter = new FlagstageEventEmitter()
  /** The flagstage client evaluations run on. */
  readonly client: Client
  readonly #owned: boolean
  readonly #timeoutMs: number
  readonly #track: ((event: TrackEvent) => void) | undefined
  #unwire: (() => void) | undefined
  #last: string | undefined
  #closed = false

  constructor(options: FlagstageProviderOptions) {
    const { readyTimeoutMs = 5_000, track, ...rest } = options
    this.#timeoutMs = readyTimeoutMs
    this.#track = track
    if ('client' in rest) {
      this.client = rest.client
      this.#owned = false
    } else {
      this.client = createClient(rest)
      this.#owned = true
    }
  }

  /** Listen to the client event that means "flags changed" and emit CONFIGURATION_CHANGED; returns the unsubscribe. */
  protected abstract watchChanges(client: Client): () => void

  /** Called at the start of `initialize` with the SDK's context (the web provider adopts it). */
  protected adoptContext(_context: EvaluationContext | undefined): void {}

  /**
   * Resolves when the client has a config (READY; STALE follows when its source is failing): at once
   * with a bootstrap or cached config (the source's answer then comes as CONFIGURATION_CHANGED), rejects
   * when there is none after `readyTimeoutMs` or the source failed first (ERROR, with `PARSE_ERROR`
   * when the document was rejected). A config arriving later moves the provider to READY.
   */
  async initialize(context?: EvaluationContext): Promise<void> {
    this.adoptContext(context)
    this.#wire()
    const status = await settle(this.client, this.#timeoutMs)
    if (hasConfig(this.client)) {
      this.#last = ProviderEvent.READY
      // After the SDK has marked us READY (it does so when this promise resolves): STALE if the source is failing.
      setTimeout(this.#sync, 0)
      return
    }
    this.#last = ProviderEvent.ERROR
    const error = status.lastError
    if (error) {
      const code = error.code === 'INVALID_CONFIG' || error.code === 'PARSE_ERROR' ? 'PARSE_ERROR' : 'GENERAL'
      throw codedError(code, `flagstage: no config, the source failed: ${error.message}`, error)
    }
    throw codedError('PROVIDER_NOT_READY', `flagstage: no config within ${this.#timeoutMs} ms`)
  }

  /** Stops listening to the client, and closes it if the provider created it. Safe to call twice. */
  async onClose(): Promise<void> {
    this.#unwire?.()
    this.#unwire = undefined
    if (this.#closed) return
    this.#closed = true
    if (this.#owned) this.client.close()
  }

  /** Forwards to the `track` option (see `ProviderExtras.track`). */
  track(trackingEventName: string, context?: EvaluationContext, trackingEventDetails?: TrackingEventDetails): void {
    this.#track?.({ name: trackingEventName, context: toFlagstageContext(context), details: trackingEventDetails })
  }

  #wire(): void {
    if (this.#unwire) return
    const offChanges = this.watchChanges(this.client)
    const offStatus = this.client.subscribe(this.#sync)
    // Source errors reach the app as STALE / ERROR events; listening also tells the client they are handled.
    const offError = this.client.on('error', this.#sync)
    this.#unwire = () => {
      offChanges()
      offStatus()
      offError()
    }
  }

  /** Status transitions after `initialize`: ready → READY, stale (source failing over a good config) → STALE, no config → ERROR. */
  readonly #sync = (): void => {
    if (this.#last === undefined || !this.#unwire) return
    const { state, lastError } = this.client.status()
    const next = state === 'ready' ? ProviderEvent.READY
      : state === 'stale' ? ProviderEvent.STALE
        : state === 'error' ? ProviderEvent.ERROR
          : undefined
    if (next === undefined || next === this.#last) return
    this.#last = next
    this.events.emit(next, next !== ProviderEvent.READY && lastError ? { message: lastError.message } : {})
  }

  /** Emit CONFIGURATION_CHANGED once the provider is initialized (subclasses call it from `watchChanges`). */
  protected changed(flagsChanged: string[], revision: string | undefined): void {
    if (this.#last === undefined || flagsChanged.length === 0) return
    this.events.emit(ProviderEvent.CONFIGURATION_CHANGED, revision === undefined ? { flagsChanged } : { flagsChanged, metadata: { revision } })
  }
}
