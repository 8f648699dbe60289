import { AsyncLocalStorage } from 'node:async_hooks'
import {
  explain as defaultExplain,
  getDefaultClient,
  isEnabled as defaultIsEnabled,
  value as defaultValue,
  variant as defaultVariant,
} from 'flagstage'
import type { Client, Context, Evaluator } from 'flagstage'

/** What one request (or `withContext` call) carries through AsyncLocalStorage. Internal. */
export interface RequestStore {
  readonly context: Context
  /** The client given to `withContext` / the middleware; undefined = the default client, looked up when read. */
  readonly client: Client | undefined
  /** `client.forContext(context)`, made once per request (for the default client: once per default client). */
  evaluator: Evaluator | undefined
  /** The client `evaluator` was made from (the default client can be replaced by `configure()`). */
  owner: Client | undefined
  /** Pin the request to the config in force when its evaluator is made (`forContext`'s `pin`). */
  readonly pin: boolean
}

/** Options of `withContext`. */
export interface WithContextOptions {
  /**
   * The client to evaluate with. Defaults to the client of the enclosing `withContext` /
   * middleware, else the default client from `configure()` (looked up when a flag is read).
   */
  client?: Client
  /**
   * Read one config for the whole call: a reload while it runs does not change its answers.
   * `false` follows reloads. @default true
   */
  pin?: boolean
}

/** What every copy of flagstage/node in a process shares: one async context, one request map. */
interface NodeState {
  storage: AsyncLocalStorage<RequestStore>
  /** The store of each request the middleware saw, for handlers reached outside its async context. */
  byRequest: WeakMap<object, RequestStore>
}
// Symbol.for is process-wide: the ESM and the CJS build (or two installed copies) share one slot, so
// withContext() in one and isEnabled() in the other see the same request (as the default client).
// Made on first use: importing flagstage/node for file() alone creates nothing.
const SLOT = 'flagstage.node.v1'
let state: NodeState | undefined
const shared = (): NodeState => {
  if (state) return state
  const g = globalThis as unknown as Record<symbol, NodeState | undefined>
  return (state = g[Symbol.for(SLOT)] ??= { storage: new AsyncLocalStorage<RequestStore>(), byRequest: new WeakMap() })
}

/**
 * Reads the default client through core's top-level functions: before `configure()` they
 * return defaults and warn once, and never throw.
 */
const unconfigured: Evaluator = {
  isEnabled: (key) => defaultIsEnabled(key),
  variant: (key) => defaultVariant(key),
  value: (key, fallback) => defaultValue(key, fallback),
  explain: (key) => defaultExplain(key),
  snapshot: () => ({ evaluated: true, revision: undefined, flags: {} }),
}

/** A store for `context` evaluated with `client` (or, when undefined, the default client). Internal. */
export const createStore = (context: Context, client: Client | undefined, pin = true): RequestStore => ({
  context,
  client,
  evaluator: client ? client.forContext(context, pin ? undefined : { pin }) : undefined,
  owner: client,
  pin,
})

/** The evaluator of a store, made on first use and cached in the store. Internal. */
export const evaluatorOf = (store: RequestStore): Evaluator => {
  const client = store.client ?? getDefaultClient()
  if (!client) return unconfigured
  if (store.owner !== client || !store.evaluator) {
    store.evaluator = client.forContext(store.context, store.pin ? undefined : { pin: false })
    store.owner = client
  }
  return store.evaluator
}

/**
 * An evaluator over a store whose client is the default one: it follows `configure()` even
 * when the default client is created or replaced after the request started. Internal.
 */
export const deferredEvaluator = (store: RequestStore): Evaluator => ({
  isEnabled: (key) => evaluatorOf(store).isEnabled(key),
  variant: (key) => evaluatorOf(store).variant(key),
  value: (key, fallback) => evaluatorOf(store).value(key, fallback),
  explain: (key) => evaluatorOf(store).explain(key),
  snapshot: () => evaluatorOf(store).snapshot(),
})


/** Remember `store` as the store of `request`. Internal: for the middleware. */
export const bindRequest = (request: object, store: RequestStore): void => {
  shared().byRequest.set(request, store)
}

/**
 * The evaluator a handler without a context function serves `request`: the request's own
 * (middleware or `withContext`) context, evaluated with `client` when one is given; else an empty
 * context. Never a client's own context (that is whoever configured it). Internal.
 */
export const requestFlags = (request: object, client: Client | undefined): Evaluator => {
  const store = shared().byRequest.get(request) ?? shared().storage.getStore()
  if (store && (!client || store.client === client)) return evaluatorOf(store)
  const target = client ?? getDefaultClient()
  return target ? target.forContext(store?.context ?? {}) : unconfigured
}

const BOUND = Symbol('flagstage.request.store')
type Bindable = { emit(event: string | symbol, ...args: unknown[]): boolean; [BOUND]?: RequestStore }

/**
 * Run the events `emitter` emits itself (a request's 'data' and 'end', a response's 'finish' and
 * 'close') inside `store`: node:http emits them from the socket, outside the handler's async
 * context, so without this `isEnabled()` in `req.on('data')` (or a timer started there) would
 * not know the request. One wrapper per emitter; a later middleware's store replaces an earlier one.
 * Internal: for the middleware.
 */
export const bindEmitter = (emitter: object, store: RequestStore): void => {
  const target = emitter as Bindable
  if (!target[BOUND]) {
    const emit = target.emit
    target.emit = function (this: Bindable, event, ...args) {
      const bound = this[BOUND]
      return !bound || shared().storage.getStore() === bound ? emit.call(this, event, ...args) : shared().storage.run(bound, () => emit.call(this, event, ...args))
    }
  }
  target[BOUND] = store
}

/** Run `fn` with `store` as the current request. Internal: for the middleware. */
export const runWithStore = <R>(store: RequestStore, fn: () => R): R => shared().storage.run(store, fn)

/** The current request's store, if any. Internal. */
export const currentStore = (): RequestStore | undefined => shared().storage.getStore()

/**
 * Run `fn` with `context` as the current request's context: `isEnabled()`, `variant()`,
 * `value()`, `explain()` and `currentFlags()` from `flagstage/node` called anywhere below it
 * (across `await`, timers and promise chains) evaluate for that context. Contexts of concurrent
 * calls never mix. The whole call reads one config (the one in force at its first read), unless
 * `pin: false`. Returns what `fn` returns (a promise stays a promise).
 * @example
 * await withContext({ userId: req.user.id }, async () => {
 *   await render()          // deep inside: isEnabled('new-checkout') uses userId
 * }, { client: flags })
 */
export const withContext = <R>(context: Context, fn: () => R, options: WithContextOptions = {}): R =>
  shared().storage.run(createStore(context, options.client ?? shared().storage.getStore()?.client, options.pin !== false), fn)

/**
 * The evaluator for the current request: `req.flags` of the middleware, or `forContext(ctx)` of
 * the `withContext` call. Outside any request it is the default client itself (its own
 * context); before `configure()`, an evaluator that serves defaults. Never throws.
 * @example
 * res.json({ flags: currentFlags().snapshot() })
 */
export const currentFlags = (): Evaluator => {
  const store = shared().storage.getStore()
  return store ? evaluatorOf(store) : (getDefaultClient() ?? unconfigured)
}

/** The context of the current request, or undefined outside `withContext` / the middleware. */
export const currentContext = (): Context | undefined => shared().storage.getStore()?.context

// Typed as core's top-level functions, so `flagstage` and `flagstage/node` read the same.

/**
 * Whether `key` is on for the current request's context (see `withContext`). Outside a request,
 * the default client's answer for its own context; false (with a one-time warning) before
 * `configure()`. Never throws.
 * @example
 * if (isEnabled('new-checkout')) return renderNewCheckout()
 */
export const isEnabled: typeof defaultIsEnabled = (key) => {
  const store = shared().storage.getStore()
  return store ? evaluatorOf(store).isEnabled(key) : defaultIsEnabled(key)
}

/** The variant served to the current request: `{ name, value }` (`name` undefined when a default was returned). */
export const variant: typeof defaultVariant = (key) => {
  const store = shared().storage.getStore()
  return store ? evaluatorOf(store).variant(key) : defaultVariant(key)
}

/**
 * The value served to the current request, or `fallback` when the flag is unknown or its value
 * is not of `fallback`'s type.
 * @example
 * const limit = value('max-items', 10)
 */
export const value: typeof defaultValue = (key, fallback) => {
  const store = shared().storage.getStore()
  return store ? evaluatorOf(store).value(key, fallback) : defaultValue(key, fallback)
}

/** Everything about one evaluation for the current request (reason, rule, bucket, revision). */
export const explain: typeof defaultExplain = (key) => {
  const store = shared().storage.getStore()
  return store ? evaluatorOf(store).explain(key) : defaultExplain(key)
}
