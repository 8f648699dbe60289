import type { Evaluator, FlagTypes } from './client-types.ts'
import type { CompiledConfig } from './compile.ts'
import { enabledFor, resolve, type Trace } from './evaluate.ts'
import type { Context, EvaluationErrorCode, Explanation, JsonValue, Snapshot, SnapshotEntry } from './types.ts'

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
  /** Called after a client (not a per-request evaluator) read; undefined when nobody listens. */
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

/** Evaluate `key` for `context` into `r`. Never throws. */
export const evaluateInto = (host: EvaluationHost, key: string, context: Context, r: Result): void => {
  r.reason = 'DEFAULT'
  r.ruleIndex = -1
  r.bucket = -1
  r.found = false
  r.variant = undefined
  r.errorCode = undefined
  try {
    const store = host.store()
    if (store?.kind === 'config') {
      const flag = store.compiled.flags.get(key)
      if (flag) {
        const forced = host.overrides.get(key)
        let variant: string
        if (forced !== undefined && flag.values.has(forced)) {
          variant = forced
          r.reason = 'STATIC'
        } else {
          variant = resolve(flag, context, host.now(), r)
        }
        r.found = true
        r.variant = variant
        r.value = flag.values.get(variant)
        r.enabled = enabledFor(flag, variant)
        return
      }
    } else if (store) {
      const entry = store.entries.get(key)
      if (entry) {
        r.found = true
        r.reason = 'STATIC'
        r.variant = entry.variant
        r.value = entry.value
        r.enabled = entry.enabled
        return
      }
    }
    r.errorCode = store ? 'FLAG_NOT_FOUND' : 'PROVIDER_NOT_READY'
  } catch {
    r.errorCode = 'GENERAL' // defensive: compiled evaluation does not throw, but a getter on a context might
  }
  r.reason = 'ERROR'
  r.value = own.call(host.defaults, key) ? host.defaults[key] : undefined
  r.enabled = r.value === true
}

/** Evaluate every flag in the store into a snapshot (no rules, safe to send to a browser). */
export const snapshotOf = (host: EvaluationHost, context: Context): Snapshot => {
  const store = host.store()
  const flags: Record<string, SnapshotEntry> = {}
  const r = newResult()
  const keys = store?.kind === 'config' ? store.compiled.flags.keys() : store ? store.entries.keys() : []
  for (const key of keys) {
    evaluateInto(host, key, context, r)
    if (r.found) {
      // defineProperty: a flag named "__proto__" stays a plain key.
      Object.defineProperty(flags, key, {
        value: { variant: r.variant!, value: r.value ?? null, enabled: r.enabled },
        enumerable: true, writable: true, configurable: true,
      })
    }
  }
  return { evaluated: true, revision: store?.revision, flags }
}

export const newResult = (): Result => ({
  reason: 'DEFAULT', ruleIndex: -1, bucket: -1, found: false, variant: undefined, value: undefined, enabled: false, errorCode: undefined,
})

/**
 * The read methods over a host and a context: used by the client (its own context, with impressions)
 * and by `forContext` (a request's context). `r` is reused across calls on purpose.
 */
export const createEvaluator = <F extends FlagTypes>(
  host: EvaluationHost,
  context: () => Context,
  withImpressions: boolean,
): Evaluator<F> => {
  const r = newResult()
  const run = (key: string): Result => {
    const ctx = context()
    evaluateInto(host, key, ctx, r)
    if (withImpressions && host.impression && r.found) host.impression(key, r, ctx)
    return r
  }
  const explain = (key: string, value: JsonValue | undefined): Explanation<never> => {
    const out: Explanation<JsonValue | undefined> = {
      key, value, variant: r.variant, reason: r.reason, ruleIndex: r.ruleIndex, bucket: r.bucket, revision: host.store()?.revision,
    }
    if (r.errorCode) out.errorCode = r.errorCode
    return out as Explanation<never>
  }
  const typed = (key: string, fallback: unknown): JsonValue | undefined => {
    run(key)
    if (!r.found) return fallback === undefined ? r.value : (fallback as JsonValue)
    if (fallback !== undefined && kindOf(r.value) !== kindOf(fallback)) {
      r.reason = 'ERROR'
      r.errorCode = 'TYPE_MISMATCH'
      return fallback as JsonValue
    }
    return r.value
  }
  return {
    isEnabled: (key) => run(key).enabled,
    variant: (key) => {
      run(key)
      return { name: r.variant, value: r.value as never }
    },
    value: (key, fallback) => typed(key, fallback) as never,
    explain: (key) => explain(key, run(key).value),
    snapshot: () => snapshotOf(host, context()),
  }
}
