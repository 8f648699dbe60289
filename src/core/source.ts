import type { FlagstageError } from './errors.ts'

/**
 * Where configs come from. `start` begins delivering whole documents (configs or evaluated
 * snapshots) through `emit` and problems through `fail`; it returns a function that stops
 * every timer, request and stream the source opened. The client validates what is emitted,
 * so a source never needs to: it may emit the raw parsed JSON.
 * @example
 * const fromGlobal: Source = {
 *   start(emit) { emit(window.__FLAGS__); return () => {} },
 * }
 */
export interface Source {
  /**
   * `emit` answers `false` when the client rejected the document (invalid): a source must then not
   * use it as the basis of a 304, a `Last-Event-ID` or a patch.
   */
  start(emit: (document: unknown, meta?: EmitMeta) => unknown, fail: (error: FlagstageError) => void): SourceHandle
}

/**
 * What `start` returns: a function that stops the source, optionally with `wake()`. The client
 * calls `wake()` when it is used (`ready()`, and the first `forContext()` of each synchronous run
 * of the app's code, when timers could have fired), so a source whose timers or
 * connections the runtime dropped while it was idle (workerd ends them with the request that
 * started them) notices and resumes. `wake()` must be cheap and never throw.
 */
export interface SourceHandle {
  (): void
  wake?: () => void
}

/** Optional information a source passes with a document. */
export interface EmitMeta {
  /** The source's own revision token (ETag, SSE event id), when it differs from `document.revision`. */
  etag?: string
  /**
   * The source checked and the config it last emitted is still current (HTTP 304): the client
   * marks itself fresh without re-validating. Emit `undefined` as the document with this flag.
   */
  notModified?: boolean
}

/**
 * Persistence for the last good config, read at start before the source answers.
 * Browsers: `localStorageCache()`; Node: `fileCache()` from `flagstage/node`.
 */
export interface Cache {
  load(): CacheEntry | undefined | Promise<CacheEntry | undefined>
  save(entry: CacheEntry): void | Promise<void>
}

/** What a cache stores: the document as received and when it was saved (ms since epoch). */
export interface CacheEntry {
  document: unknown
  savedAt: number
}
