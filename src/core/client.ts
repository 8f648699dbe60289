import type { Client, ClientEvents, ClientOptions, FlagTypes, ImpressionEvent, Status } from './client-types.ts'
import { compileConfig } from './compile.ts'
import { registerHost } from './client-host.ts'
import { createEmitter } from './emitter.ts'
import { ErrorCode, toFlagstageError, type FlagstageError } from './errors.ts'
import { changedKeys, touchedKeys } from './diff.ts'
import { configChanges, entryChanges } from './config-diff.ts'
import { contextEvaluator, createEvaluator, snapshotOf, type EvaluationHost, type Store } from './evaluator.ts'
import { murmur3 } from './hash.ts'
import { unitReader } from './rollout.ts'
import { isSnapshot, readSnapshot } from './snapshot.ts'
import type { Config, Context, JsonValue, Snapshot } from './types.ts'
import { checkConfig } from './validate.ts'
import type { Logger } from './logger.ts'
import { overrideProblems } from './overrides.ts'
import { warnOnce } from './warn.ts'
import type { CacheEntry, EmitMeta } from './source.ts'
import { runSource, type SourceRunner } from './source-runner.ts'

/** `ready()` resolves at this timeout at the latest, so it never hangs. */
const DEFAULT_READY_TIMEOUT_MS = 5_000
/** setTimeout's limit (~24.8 days); later boundaries are re-armed when reached. */
const MAX_TIMER_MS = 2_147_483_647
const MAX_IMPRESSIONS = 10_000

/**
 * A context is copied once; one whose getters or Proxy traps throw is read as empty (and reported),
 * never thrown into `createClient` / `setContext` (issue #9).
 */
const copyContext = (context: Context | undefined, logger: Logger): Context => {
  try {
    return { ...context }
  } catch (error) {
    try {
      if (process.env.NODE_ENV !== 'production') warnOnce('reading the context threw: it is treated as empty', error, undefined, logger)
    } catch {}
    return {}
  }
}

/** Impression de-duplication keeps a hash of long unit ids, so its memory is bounded whatever the ids (issue #9). */
const unitKey = (unit: string | undefined): string | undefined =>
  unit !== undefined && unit.length > 64 ? `#${murmur3(unit)}:${murmur3(unit, 1)}:${unit.length}` : unit

/** Validate and compile a document (config or evaluated snapshot). Throws a `FlagstageError`. */
const loadDocument = (document: unknown): Store => {
  if (isSnapshot(document)) return { kind: 'snapshot', ...readSnapshot(document as Record<string, unknown>) }
  const { config, keys } = checkConfig(document)
  return { kind: 'config', compiled: compileConfig(config, keys), revision: config.revision }
}

/**
 * Create a client: one config store, one context, events. Evaluation is local and never throws.
 * @example
 * const flags = createClient({ source: http('https://cdn.example.com/flags.json'), context: { userId: 'u-42' } })
 * await flags.ready({ timeoutMs: 1500 })
 * if (flags.isEnabled('new-checkout')) showNewCheckout()
 */
/* @__NO_SIDE_EFFECTS__ */
export function createClient<F extends FlagTypes = FlagTypes>(options: ClientOptions<F> = {}): Client<F> {
  const now = options.now ?? Date.now
  const logger = options.logger ?? console
  const events = createEmitter<ClientEvents>(logger)
  const subscribers = new Set<(evaluations: boolean) => void>()
  const unitOf = unitReader(undefined)
  const seen = new Set<string>()
  const waiters = new Set<(status: Status) => void>()
  let context: Context = copyContext(options.context, logger)
  let store: Store | undefined
  let state: Status['state'] = 'loading'
  let lastUpdated: number | undefined
  let lastError: FlagstageError | undefined
  let confirmed = false // a config came from the source itself
  let reported = false // "no config loaded" was logged
  let isReady = false
  let closed = false
  let view: Snapshot | undefined // evaluations last announced to `change` listeners
  let cancelTimer: (() => void) | undefined
  const arm = options.timer ?? ((callback: () => void, ms: number): (() => void) => {
    const t = setTimeout(callback, ms)
    // A schedule timer alone should not keep a Node process alive.
    ;(t as { unref?: () => void }).unref?.()
    return () => clearTimeout(t)
  })
  let runner: SourceRunner | undefined
  // Timers workerd refused at module scope: armed at the next use, like a dormant source.
  const later: (() => void)[] = []

  const overrides = new Map<string, string>(Object.entries(options.overrides ?? {}) as [string, string][])

  const host: EvaluationHost = {
    store: () => store,
    now,
    defaults: (options.defaults ?? {}) as Record<string, JsonValue>,
    overrides,
    buckets: options.buckets ? new Map(Object.entries(options.buckets) as [string, number][]) : undefined,
    logger,
    impression: undefined,
  }
  // Dormant (workerd refused I/O or a timer at module scope): the first read inside a request starts it again.
  const plain = host.store
  const waking = (): Store | undefined => (wake(), store)
  /** Run `arming`; if the runtime refuses its timer (workerd at module scope), run it again at the next use. */
  const attempt = (arming: () => void): void => {
    try {
      arming()
    } catch {
      later.push(arming)
      host.store = waking
    }
  }
  const wake = (): void => {
    runner?.wake()
    if (later.length) later.splice(0).forEach(attempt) // forContext runs per request: allocate nothing when idle
  }
  let woken = false // forContext() woke the source in this synchronous run
  const rewake = (): void => {
    woken = false
  }
  let pending: ImpressionEvent[] = []
  const flush = (): void => {
    const batch = pending
    pending = []
    for (const event of batch) events.emit('impression', event)
  }
  const impression: EvaluationHost['impression'] = (key, r, ctx) => {
    const unit = unitOf(ctx)
    const id = `${key}\u0000${r.variant}\u0000${unitKey(unit)}`
    if (seen.has(id)) return
    if (seen.size >= MAX_IMPRESSIONS) seen.clear()
    seen.add(id)
    // Delivered in a microtask (one per batch): a listener that evaluates flags cannot disturb the read in progress.
    if (pending.push({ key, variant: r.variant, value: r.value ?? null, reason: r.reason, unit }) === 1) queueMicrotask(flush)
  }

  const status = (): Status => ({ state, lastUpdated, lastError, revision: store?.revision })

  const fail = (error: FlagstageError): void => {
    if (closed) return
    lastError = error
    // A patch for a revision we don't have is mended by the source (it refetches): not a reason to go stale.
    if (error.code !== ErrorCode.PATCH_MISMATCH) state = store ? 'stale' : 'error'
    notify(false)
    // In every build: a client that never had a config serves defaults, and the app should hear why.
    if (!store && !reported && error.code !== ErrorCode.CACHE_ERROR) {
      reported = true
      try {
        logger.error(`[flagstage] no config loaded, serving defaults: ${error.message}`)
      } catch {} // a throwing logger must not break the client
    } else {
      try {
        if (process.env.NODE_ENV !== 'production' && !events.has('error')) {
          warnOnce(`${error.code}: ${error.message} (add client.on('error') to handle)`, undefined, error.code, logger)
        }
      } catch {}
    }
    events.emit('error', error)
  }

  /** Tell subscribers (useSyncExternalStore) that status, and with `evaluations` answers too, may have changed. */
  const notify = (evaluations: boolean): void => {
    for (const listener of [...subscribers]) {
      try {
        listener(evaluations)
      } catch (error) {
        try {
          if (process.env.NODE_ENV !== 'production') warnOnce('a subscriber threw; other subscribers still ran', error, undefined, logger)
        } catch {}
      }
    }
  }

  /** After anything that may alter evaluations: `change` with the keys that changed, subscribers, the timer. */
  const announce = (previous?: Store): void => {
    if (events.has('change')) {
      // After a config edit only the flags it can move are evaluated again; otherwise everything.
      const touched = view && previous?.kind === 'config' && store?.kind === 'config'
        ? touchedKeys(previous.compiled.config, store.compiled.config)
        : undefined
      const next = snapshotOf(host, context, touched && view && { touched, view })
      const keys = changedKeys(view, next)
      view = next
      if (keys.length) events.emit('change', { keys, revision: store?.revision })
    }
    notify(true)
    schedule()
  }

  /** Arm one timer for the next schedule boundary, or the next ramp step, while someone listens. */
  const schedule = (): void => attempt(() => {
    cancelTimer?.()
    cancelTimer = undefined
    if (closed || store?.kind !== 'config' || (!events.has('change') && !subscribers.size)) return
    const t = now()
    const { boundaries, ramps } = store.compiled.timeline()
    let next = Infinity
    for (const b of boundaries) if (b > t) { next = b; break }
    for (let i = 0; i < ramps.length; i += 2) {
      const start = ramps[i]!
      const end = ramps[i + 1]!
      // A ramp moves one bucket (0.01%) per (end - start) / 10000 ms; re-check at that pace, 1 s to 1 min.
      if (start <= t && t < end) next = Math.min(next, t + Math.min(60_000, Math.max(1_000, (end - start) / 10_000)))
    }
    if (next === Infinity) return
    cancelTimer = arm(() => announce(), Math.min(MAX_TIMER_MS, next - t + 1))
  })

  /** Development: say which overrides the config in force cannot apply (typos in flag or variant names). */
  const checkOverrides = (next: Store | undefined): void => {
    try {
      if (process.env.NODE_ENV !== 'production' && overrides.size && next?.kind === 'config') {
        for (const problem of overrideProblems(overrides, next.compiled)) warnOnce(problem, undefined, problem, logger)
      }
    } catch {}
  }

  const install = (next: Store): void => {
    const previous = store
    store = next
    checkOverrides(next)
    if (events.has('config')) {
      const keys = next.kind === 'config'
        ? configChanges(previous?.kind === 'config' ? previous.compiled.config : undefined, next.compiled.config)
        : entryChanges(previous?.kind === 'snapshot' ? previous.entries : undefined, next.entries)
      if (previous && previous.kind !== next.kind) {
        for (const key of previous.kind === 'config' ? previous.compiled.keys : previous.entries.keys()) if (!keys.includes(key)) keys.push(key)
      }
      events.emit('config', { revision: next.revision, keys })
    }
    announce(previous)
  }

  const markReady = (): void => {
    if (isReady) return
    isReady = true
    const s = status()
    for (const resolve of waiters) resolve(s)
    waiters.clear()
    events.emit('ready', s)
  }

  const receive = (document: unknown, meta?: EmitMeta): boolean => {
    if (closed || (meta?.notModified && !store)) return false
    let next: Store | undefined
    if (!meta?.notModified) {
      try {
        next = loadDocument(document)
      } catch (error) {
        fail(toFlagstageError(error, ErrorCode.INVALID_CONFIG))
        return false // the source must not build on it (ETag, Last-Event-ID, patch base: issue #9)
      }
    }
    // Status first, so subscribers notified below already read the new status.
    confirmed = true
    lastUpdated = now()
    lastError = undefined
    state = 'ready'
    if (next) {
      try {
        install(next)
      } catch (error) {
        // Nothing a source sends may throw back into it (issue #9); validation should have caught it.
        fail(toFlagstageError(error, ErrorCode.INVALID_CONFIG))
      }
      const cache = options.cache
      if (cache) {
        const entry: CacheEntry = { document, savedAt: now() }
        Promise.resolve().then(() => cache.save(entry)).catch((error: unknown) => fail(toFlagstageError(error, ErrorCode.CACHE_ERROR)))
      }
    } else {
      notify(false) // a 304: the config is confirmed current; only the status changed
    }
    markReady()
    return true
  }

  const fromCache = (entry: CacheEntry | undefined): void => {
    if (closed || confirmed || !entry) return
    try {
      install(loadDocument(entry.document))
    } catch (error) {
      fail(toFlagstageError(error, ErrorCode.CACHE_ERROR))
      return
    }
    lastUpdated = entry.savedAt
    if (now() - entry.savedAt > (options.maxAgeMs ?? Infinity)) state = 'stale'
  }

  // Start: bootstrap, then cache (synchronously when the cache is, so a browser paints from it), then source.
  if (options.bootstrap) {
    try {
      store = loadDocument(options.bootstrap)
      checkOverrides(store)
    } catch (error) {
      // Reported after construction, so a listener added right away still hears it.
      queueMicrotask(() => fail(toFlagstageError(error, ErrorCode.INVALID_CONFIG)))
    }
  }
  if (options.cache) {
    try {
      const loaded = options.cache.load()
      if (loaded && typeof (loaded as Promise<unknown>).then === 'function') {
        ;(loaded as Promise<CacheEntry | undefined>).then(fromCache, (error: unknown) => fail(toFlagstageError(error, ErrorCode.CACHE_ERROR)))
      } else {
        fromCache(loaded as CacheEntry | undefined)
      }
    } catch (error) {
      queueMicrotask(() => fail(toFlagstageError(error, ErrorCode.CACHE_ERROR)))
    }
  }
  if (options.source) {
    let source = options.source
    try {
      // A programming error a first run in development shows (production reports the TypeError it causes).
      if (process.env.NODE_ENV !== 'production' && typeof source == 'string') {
        const url = JSON.stringify(source)
        source = { start: () => { throw Error(`source is a URL: wrap it in http(), source: http(${url})`) } } // SOURCE_ERROR
      }
    } catch {}
    runner = runSource(source, receive, fail, (asleep) => (host.store = asleep ? waking : plain))
  } else {
    // Nothing to wait for: ready with what we were given.
    state = 'ready'
    queueMicrotask(markReady)
  }

  const self = createEvaluator<F>(host, () => context)
  /** After a listener leaves: stop impressions and forget the announced view when nobody listens. */
  const left = (): void => {
    if (!events.has('impression')) host.impression = undefined
    if (!events.has('change')) view = undefined
  }

  const client: Client<F> = {
    ...self,
    ready: ({ timeoutMs = DEFAULT_READY_TIMEOUT_MS } = {}) =>
      (wake(), isReady || closed)
        ? Promise.resolve(status())
        : new Promise<Status>((resolve) => {
            let t: ReturnType<typeof setTimeout> | undefined
            const done = (s: Status): void => {
              clearTimeout(t)
              waiters.delete(done)
              resolve(s)
            }
            // The timeout counts from when the runtime lets us arm it (inside a request, on workerd).
            waiters.add(done)
            // Armed late (workerd), it may outlive the promise; firing then is harmless.
            attempt(() => (t = setTimeout(() => done(status()), Math.min(timeoutMs, MAX_TIMER_MS))))
          }),
    status,
    on: (event, listener) => {
      const off = events.on(event, listener)
      if (event === 'impression') host.impression = impression
      if (event === 'change' && !view) {
        view = snapshotOf(host, context)
        schedule()
      }
      return () => {
        off()
        left()
      }
    },
    off: (event, listener) => {
      events.off(event, listener)
      left()
    },
    subscribe: (listener) => {
      subscribers.add(listener)
      if (subscribers.size === 1) schedule()
      return () => {
        subscribers.delete(listener)
      }
    },
    setContext: (next, { merge = false } = {}) => {
      context = copyContext(merge ? { ...context, ...copyContext(next, logger) } : next, logger)
      announce()
    },
    getContext: () => context,
    getConfig: () => (store?.kind === 'config' ? (store.compiled.config as Config) : undefined),
    forContext: (ctx, forOptions) => {
      // A running source checks on itself (a lost timer reads the clock: dearer than the evaluation) once
      // per synchronous run of the app's code, when its timers could have fired (issue #12). Dormant
      // sources and refused timers need no call here: host.store() wakes them while they are.
      if (!woken) {
        woken = true
        queueMicrotask(rewake)
        wake()
      }
      return contextEvaluator<F>(host, ctx, forOptions?.pin !== false)
    },
    logger,
    close: () => {
      if (closed) return
      closed = true
      cancelTimer?.()
      try {
        runner?.stop()
      } catch (error) {
        try {
          if (process.env.NODE_ENV !== 'production') warnOnce('source stop() threw', error, undefined, logger)
        } catch {}
      }
      const s = status()
      for (const resolve of waiters) resolve(s)
      waiters.clear()
      subscribers.clear()
      flush() // impressions read before close() still reach their listeners
      events.clear()
    },
  }
  registerHost(client, { host, context: () => context })
  return client
}
