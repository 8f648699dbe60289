import type { FlagstageError } from './errors.ts'
import type { Logger } from './logger.ts'
import type { Cache, Source } from './source.ts'
import type { Config, ConfigJson, Context, Explanation, JsonValue, Snapshot } from './types.ts'

/**
 * A flag's value type with the names of its variants, as `flagTypes()` / `flagstage-types` generate it:
 * `Flag<'blue' | 'green', 'control' | 'treatment'>`. Type-level only (no value has these keys).
 */
export interface Flag<V extends JsonValue = JsonValue, N extends string = string> {
  /** The type of the flag's values. */
  readonly '~value': V
  /** The names of the flag's variants. */
  readonly '~variants': N
}

/**
 * A map from flag key to the type of its value (or a `Flag<value, variant names>`), for typed keys:
 * `createClient<{ 'new-checkout': boolean; 'checkout-button': Flag<'blue' | 'green', 'control' | 'treatment'> }>(...)`.
 */
export type FlagTypes = Record<string, JsonValue | Flag>

/** Keys of `F` that are strings (flag keys). */
export type FlagKey<F extends FlagTypes> = Extract<keyof F, string>

/** The value type a `FlagTypes` entry declares (`Flag<V, N>` → `V`; a plain type stays as it is). */
export type ValueType<T> = T extends Flag<infer V, string> ? V : T

/** The variant names a `FlagTypes` entry declares (`Flag<V, N>` → `N`; a plain type: any string). */
export type VariantName<T> = T extends Flag<JsonValue, infer N> ? N : string

/** The value type of flag `K` in `F`. */
export type FlagValue<F extends FlagTypes, K extends keyof F> = ValueType<F[K]>

/** The type `value(key, fallback)` returns: the flag's type, or the widened fallback's for untyped clients. */
export type ValueOf<F extends FlagTypes, K extends keyof F, V> = JsonValue extends FlagValue<F, K> ? Widen<V> : FlagValue<F, K>

/** `3` → number, `'a'` → string, `true` → boolean; other types unchanged. */
export type Widen<V> = V extends string ? string : V extends number ? number : V extends boolean ? boolean : V

/** Options of `createClient` (and `configure`). */
export interface ClientOptions<F extends FlagTypes = FlagTypes> {
  /** Where configs come from. Without one, the client serves `bootstrap` / `defaults`. */
  source?: Source
  /** The context flags are evaluated for (browsers: the current user). @default {} */
  context?: Context
  /**
   * A config or an evaluated snapshot (SSR) served until the source answers. Validated like any
   * config, so a JSON import (`import config from './flags.json'`) is accepted as it is.
   */
  bootstrap?: Config | Snapshot | ConfigJson
  /**
   * The value of a flag that cannot be evaluated (unknown, no config loaded yet): what `isEnabled`
   * (`default === true`), `variant`, `value` and `explain` all serve then. `value(key, fallback)`
   * falls back to `fallback` only when there is no default either (or on a type mismatch).
   */
  defaults?: NoInfer<{ [K in FlagKey<F>]?: FlagValue<F, K> }>
  /**
   * Force variants (by name) for tests and QA: `{ 'new-checkout': 'on' }`. In browsers, opt in to
   * `?flagstage=flag:variant` links with `overrides: urlOverrides()`. With generated types, names are
   * checked; at run time an unknown flag or variant is ignored (with a warning in development).
   */
  overrides?: NoInfer<{ [K in FlagKey<F>]?: VariantName<F[K]> }>
  /** Persist the last good config; used at the next start before the source answers. */
  cache?: Cache
  /** A cached config older than this is served, but `status()` reports `stale`. @default Infinity */
  maxAgeMs?: number
  /** Clock for schedules and ramps (ms since epoch). @default Date.now */
  now?: () => number
  /**
   * How the client waits for the next schedule boundary or ramp step: call `callback` after `ms`
   * milliseconds and return a function that cancels it. `flagstage/testing`'s clock passes its own, so
   * tests fire these `change` events deterministically. @default setTimeout (unref'd in Node)
   */
  timer?: (callback: () => void, ms: number) => () => void
  /**
   * Pin this client's rollout bucket (0..9999) per flag: rollouts of that flag compare this number with
   * their threshold instead of the unit's hash, and splits pick the variant by it. For tests of rollout
   * edges (`createTestClient({ bucket })`) and QA. The context still needs a unit id.
   * @example
   * createClient({ bootstrap: config, context: { userId: 'qa' }, buckets: { 'new-checkout': 999 } }) // in a 10% rollout
   */
  buckets?: NoInfer<Partial<Record<FlagKey<F>, number>>>
  /**
   * Where the client reports. In every build: an `error` once when no config could be loaded (wrong
   * URL, HTML instead of JSON, invalid config); in development also warnings (unknown override
   * names, type mismatches, throwing listeners). `{ warn() {}, error() {} }` silences it.
   * @default console
   */
  logger?: Logger
}

/** Client status, from `client.status()`. */
export interface Status {
  /** `loading` before any config, `ready` with a fresh config, `stale` serving an old cache, `error` when the last attempt failed. */
  state: 'loading' | 'ready' | 'stale' | 'error'
  /** When the config in force was received (ms since epoch), or undefined. */
  lastUpdated: number | undefined
  lastError: FlagstageError | undefined
  revision: string | undefined
}

/** Payload of the `change` event. */
export interface ChangeEvent {
  /** Keys whose evaluated value or variant changed for this client's context. */
  keys: string[]
  revision: string | undefined
}

/** Payload of the `config` event: a new config (or snapshot) came into force. */
export interface ConfigEvent {
  /** The revision now in force. */
  revision: string | undefined
  /**
   * Flags whose definition changed: added, removed, edited, or reading (through conditions, nested
   * segments or `requires`) a segment or flag that changed. Every flag on the first load. For
   * evaluated snapshots: the keys whose entry changed. Flags that move only with the clock are not listed.
   */
  keys: string[]
}

/** Options of `forContext`. */
export interface ForContextOptions {
  /**
   * Read the config in force when the evaluator was made, for its whole life, so a reload in the
   * middle of a request never changes answers within it. `false` follows every reload (long-lived
   * evaluators, e.g. one per WebSocket connection). @default true
   */
  pin?: boolean
}

/** Payload of the `impression` event (deduplicated per flag, variant and unit). */
export interface ImpressionEvent {
  key: string
  variant: string | undefined
  value: JsonValue
  reason: Explanation['reason']
  unit: string | undefined
}

/** Events a client emits. */
export interface ClientEvents {
  ready: (status: Status) => void
  change: (event: ChangeEvent) => void
  /** A config or snapshot from the source (or cache) came into force, whatever the client's own context. Servers: reload hooks. */
  config: (event: ConfigEvent) => void
  error: (error: FlagstageError) => void
  impression: (event: ImpressionEvent) => void
}

/** The read methods shared by a client and a per-request evaluator. */
export interface Evaluator<F extends FlagTypes = FlagTypes> {
  /** True when the flag serves `true` (or, for non-boolean flags, any variant other than `offVariant`). Never throws. */
  isEnabled(key: FlagKey<F>): boolean
  /** The variant served: `{ name, value }`; `name` is undefined when a default was returned. */
  variant<K extends FlagKey<F>>(key: K): { name: VariantName<F[K]> | undefined; value: FlagValue<F, K> | undefined }
  /**
   * The value served (or the flag's `defaults` entry when it cannot be evaluated); `fallback` when
   * there is neither, or when that value is not of `fallback`'s JSON type (`TYPE_MISMATCH`).
   */
  value<K extends FlagKey<F>, V extends FlagValue<F, K>>(key: K, fallback: V): ValueOf<F, K, V>
  /**
   * Everything about one evaluation. With `fallback`, checks the type as `value()` does and reports
   * `errorCode: 'TYPE_MISMATCH'` (the `value` is then the fallback).
   */
  explain<K extends FlagKey<F>>(key: K, fallback?: FlagValue<F, K>): Explanation<FlagValue<F, K> | undefined>
  /** Every flag evaluated for this context, without rules: safe to send to a browser. */
  snapshot(): Snapshot
}

/** A flagstage client: one config store, one context, events. */
export interface Client<F extends FlagTypes = FlagTypes> extends Evaluator<F> {
  /** Resolves once: at the first good config, or at `timeoutMs` with bootstrap/cache/defaults. Never rejects. */
  ready(options?: { timeoutMs?: number }): Promise<Status>
  status(): Status
  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void
  off<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): void
  /**
   * Called after every change of status or of what evaluations may answer. For `useSyncExternalStore`.
   * `evaluations` is true when answers may have moved (a config installed, the context or overrides set, a
   * schedule boundary or ramp step), false when only the status did (an error, a 304 that confirms the config).
   */
  subscribe(listener: (evaluations: boolean) => void): () => void
  /** Replace (or merge with `{ merge: true }`) the context. Never refetches. */
  setContext(context: Context, options?: { merge?: boolean }): void
  getContext(): Context
  /**
   * The config in force, as validated (treat it as read-only), or undefined when none is loaded
   * or the client serves an evaluated snapshot.
   */
  getConfig(): Config | undefined
  /**
   * A light evaluator for another context over the same config (servers: one per request). Pinned
   * to the config in force when it is made (see `ForContextOptions.pin`); its reads emit
   * `impression` events like the client's own.
   * @example
   * const flags = client.forContext({ userId: req.user.id }); flags.isEnabled('new-checkout')
   */
  forContext(context: Context, options?: ForContextOptions): Evaluator<F>
  /** Stop the source and every timer. */
  close(): void
  /** The logger the client reports to (`options.logger`, or `console`); adapters report through it too. */
  readonly logger: Logger
}
