import type { Evaluator, FlagTypes } from './client-types.ts'
import { findVariant, NO_VARIANT, type CompiledConfig } from './compile.ts'
import { resolve, type Trace } from './evaluate.ts'
import type { Logger } from './logger.ts'
import type { Context, EvaluationErrorCode, Explanation, JsonValue, Snapshot, SnapshotEntry } from './types.ts'
import { warnOnce } from './warn.ts'

/** What a client serves from: a compiled config, or an evaluated snapshot (bootstrap, evaluated endpoint). */
export type Store =
  | { kind: 'config'; compiled: CompiledConfig; revision: string | undefined }
  | { kind: 'snapshot'; entries: Map<string, SnapshotEntry>; revision: string | undefined }

/** Shared by a client and every evaluator it makes. */
export interface EvaluationHost {
  store(): Store | undefined
  now(): number
  defaults: Record<string, JsonValue>
  overrides: Map<string, string>
  /** Buckets pinned per flag (the `buckets` option); undefined when none. */
  buckets?: Map<string, number> | undefined
  /** Where development warnings (type mismatches) go: the client's logger. */
  logger?: Logger
  /** Called after a read (client or `forContext` evaluator); undefined when nobody listens. */
  impression?: ((key: string, result: Result, context: Context) => void) | undefined
}

/** One evaluation, written in place (no allocation on `isEnabled`). */
export interface Result extends Trace {
  found: boolean
  variant: string | undefined
  value: JsonValue | undefined
  enabled: boolean
  errorCode: EvaluationErrorCode | undefined
}

const own = Object.prototype.hasOwnProperty

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

export const newResult = (): Result => ({
  reason: 'DEFAULT', ruleIndex: -1, bucket: -1, found: false, variant: undefined, value: undefined, enabled: false, errorCode: undefined,
})

/**
 * Evaluation is synchronous and every reader copies what it needs before anything else can run
 * (impressions are delivered in a microtask), so one result record serves all evaluators.
 */
const r: Result = /* @__PURE__ */ newResult()

/** Evaluate `key` for `context` into the shared result, from `store` (default: the one in force). Never throws. */
export const evaluate = (host: EvaluationHost, key: string, context: Context, store: Store | null | undefined = host.store()): Result => {
  r.reason = 'DEFAULT'
  r.ruleIndex = -1
  r.bucket = -1
  r.found = false
  r.variant = undefined
  r.errorCode = undefined
  try {
    if (store?.kind === 'config') {
      const flag = store.compiled.get(key)
      if (flag) {
        const forced = host.overrides.size ? findVariant(flag.variants, host.overrides.get(key)) : undefined
        let served
        if (forced !== undefined) {
          served = forced
          r.reason = 'STATIC'
        } else {
          served = resolve(flag, context, host.now, r, host.buckets)
        }
        r.found = true
        if (served === NO_VARIANT) {
          // offVariant null: no variant; the caller's default, with the reason resolve() gave.
          r.variant = undefined
          r.value = own.call(host.defaults, key) ? host.defaults[key] : undefined
          r.enabled = r.value === true
          return r
        }
        r.variant = served.name
        r.value = served.value
        r.enabled = served.enabled
        return r
      }
    } else if (store) {
      const entry = store.entries.get(key)
      if (entry) {
        r.found = true
        r.reason = 'STATIC'
        r.variant = entry.variant
        r.value = entry.value
        r.enabled = entry.enabled
        return r
      }
    }
    r.errorCode = store ? 'FLAG_NOT_FOUND' : 'PROVIDER_NOT_READY'
  } catch {
    r.errorCode = 'GENERAL' // defensive: compiled evaluation does not throw, but a getter on a context might
  }
  r.reason = 'ERROR'
  r.value = own.call(host.defaults, key) ? host.defaults[key] : undefined
  r.enabled = r.value === true
  return r
}

/**
 * `isEnabled` without the trace: a kill-switched flag, or one whose first rule serves everyone, answers
 * from the compiled flag directly; anything else takes the full path.
 */
export const enabledOf = (host: EvaluationHost, key: string, context: Context, store: Store | null | undefined = host.store()): boolean => {
  if (store != null && store.kind === 'config' && host.overrides.size === 0) {
    const fixed = store.compiled.get(key)?.fixed
    if (fixed !== undefined) return fixed.enabled
  }
  return evaluate(host, key, context, store).enabled
}

/**
 * A `store` argument of `null` means "no config" (a pinned evaluator made before one loaded); `undefined`, the one in force.
 * Evaluate every flag in the store into a snapshot (no rules, safe to send to a browser). With `reuse`,
 * flags not in `reuse.touched` keep their entry from `reuse.view` (same context, unchanged definition).
 */
export const snapshotOf = (
  host: EvaluationHost,
  context: Context,
  reuse?: { touched: Set<string>; view: Snapshot } | false,
  store: Store | null | undefined = host.store(),
): Snapshot => {
  const flags: Record<string, SnapshotEntry> = {}
  const keys = store?.kind === 'config' ? store.compiled.keys : store ? store.entries.keys() : []
  for (const key of keys) {
    let entry: SnapshotEntry | undefined
    if (reuse && !reuse.touched.has(key) && own.call(reuse.view.flags, key)) {
      entry = reuse.view.flags[key]
    } else {
      const x = evaluate(host, key, context, store)
      if (x.found && x.variant !== undefined) entry = { variant: x.variant, value: x.value ?? null, enabled: x.enabled }
    }
    if (!entry) continue
    // A flag named "__proto__" must stay a plain key, not set the prototype.
    if (key === '__proto__') Object.defineProperty(flags, key, { value: entry, enumerable: true, writable: true, configurable: true })
    else flags[key] = entry
  }
  return { evaluated: true, revision: store?.revision, flags }
}

const explanation = (
  host: EvaluationHost, key: string, x: Result, value: JsonValue | undefined, store: Store | null | undefined = host.store(),
): Explanation<never> => {
  const out: Explanation<JsonValue | undefined> = {
    key, value, variant: x.variant, reason: x.reason, ruleIndex: x.ruleIndex, bucket: x.bucket, revision: store?.revision,
  }
  if (x.errorCode) out.errorCode = x.errorCode
  return out as Explanation<never>
}

/**
 * `value(key, fallback)` and `explain(key, fallback)`: the value served, or the flag's `defaults` entry
 * when it cannot be evaluated (evaluate() puts it in `x.value`); `fallback` when there is neither, or
 * when that value has another JSON type (then `TYPE_MISMATCH`, and a development warning).
 */
const typed = (host: EvaluationHost, key: string, x: Result, fallback: unknown): JsonValue | undefined => {
  const v = x.value
  if (fallback === undefined) return v
  if (v === undefined) return fallback as JsonValue
  if (kindOf(v) !== kindOf(fallback)) {
    x.reason = 'ERROR'
    x.errorCode = 'TYPE_MISMATCH'
    try {
      if (process.env.NODE_ENV !== 'production') {
        warnOnce(`"${key}" serves ${kindOf(v)} ${JSON.stringify(v)?.slice(0, 40)}, not ${kindOf(fallback)}: returning the fallback (TYPE_MISMATCH)`, undefined, `type:${key}`, host.logger)
      }
    } catch {}
    return fallback as JsonValue
  }
  return v
}

/**
 * The read methods of a client, over its own (changing) context, with impressions. Closures, so they
 * can be passed around unbound (`useSyncExternalStore`, event handlers).
 */
export const createEvaluator = <F extends FlagTypes>(host: EvaluationHost, context: () => Context): Evaluator<F> => {
  const run = (key: string): Result => {
    const ctx = context()
    const x = evaluate(host, key, ctx)
    if (host.impression && x.found) host.impression(key, x, ctx)
    return x
  }
  return {
    isEnabled: (key) => (host.impression ? run(key).enabled : enabledOf(host, key, context())),
    variant: (key) => {
      const x = run(key)
      return { name: x.variant as never, value: x.value as never }
    },
    value: (key, fallback) => typed(host, key, run(key), fallback) as never,
    explain: (key, fallback) => {
      const x = run(key)
      return explanation(host, key, x, typed(host, key, x, fallback))
    },
    snapshot: () => snapshotOf(host, context()),
  }
}

/**
 * A per-request evaluator: one small object over a fixed context, methods on a shared prototype, so
 * a server can make one per request for about the cost of an object literal. Call its methods on it
 * (`req.flags.isEnabled(key)`); use the client's own methods where an unbound function is needed.
 * Pinned (the default), it reads the config in force when it was made, so a reload in the middle of
 * a request never changes answers within it. Reads emit impressions while the client has listeners.
 *
 * Its three fields are symbol-keyed (out of `Object.keys`, `JSON.stringify` and `for...in`) rather
 * than `#private`: V8 reads and writes named properties faster, and `forContext(ctx).isEnabled(key)`
 * is the hottest path there is (issue #12). The object stays allocated even when that expression is
 * inlined whole: TurboFan treats the receiver of an inlined method as escaping wherever a call below
 * it may deoptimize lazily, and `isEnabled` must call `evaluate()` for flags that are not fixed. So
 * it is kept to one object of one shape (three fields, nothing created per call).
 */
const HOST: unique symbol = Symbol()
const CONTEXT: unique symbol = Symbol()
/** The store it was pinned to (`null`: none was loaded); `undefined` = unpinned: evaluate() and the others then read the one in force. */
const STORE: unique symbol = Symbol()

class ContextEvaluator {
  declare readonly [HOST]: EvaluationHost
  declare readonly [CONTEXT]: Context
  declare readonly [STORE]: Store | null | undefined
  constructor(host: EvaluationHost, context: Context, store: Store | null | undefined) {
    this[HOST] = host
    this[CONTEXT] = context
    this[STORE] = store
  }
  isEnabled(key: string): boolean {
    // Plain flags: no context read, no trace (enabledOf answers from the compiled flag).
    return this[HOST].impression ? run(this, key).enabled : enabledOf(this[HOST], key, this[CONTEXT], this[STORE])
  }
  variant(key: string): { name: string | undefined; value: JsonValue | undefined } {
    const x = run(this, key)
    return { name: x.variant, value: x.value }
  }
  value(key: string, fallback: JsonValue): JsonValue | undefined {
    return typed(this[HOST], key, run(this, key), fallback)
  }
  explain(key: string, fallback?: JsonValue): Explanation<never> {
    const x = run(this, key)
    return explanation(this[HOST], key, x, typed(this[HOST], key, x, fallback), this[STORE])
  }
  snapshot(): Snapshot {
    return snapshotOf(this[HOST], this[CONTEXT], undefined, this[STORE])
  }
}

const run = (e: ContextEvaluator, key: string): Result => {
  const host = e[HOST]
  const x = evaluate(host, key, e[CONTEXT], e[STORE])
  if (host.impression && x.found) host.impression(key, x, e[CONTEXT])
  return x
}

export const contextEvaluator = <F extends FlagTypes>(host: EvaluationHost, context: Context, pin = true): Evaluator<F> =>
  new ContextEvaluator(host, context ?? {}, pin ? (host.store() ?? null) : undefined) as unknown as Evaluator<F>
