import { closestName, createClient, validateConfig } from 'flagstage'
import type { Client, Config, Context, FlagConfig, FlagKey, FlagTypes, JsonValue, Source } from 'flagstage'
import { createTestClock, type TestClock } from './clock.ts'

/** Forced values by flag: `true`/`false`, a variant name, or a value that one variant carries. */
export type ForcedFlags<F extends FlagTypes = FlagTypes> = { [K in FlagKey<F>]?: F[K] | string | boolean }

/** Options of `createTestClient`. */
export interface TestClientOptions<F extends FlagTypes = FlagTypes> {
  /**
   * Values to force. With a `config`, each must name one of the flag's variants (`'treatment'`), equal one
   * variant's value (`'green'`, `10`), or be `false` (the off variant) / `true` (the flag's only other
   * variant); anything else throws, with "did you mean". Without a `config`, each becomes a flag of its own.
   */
  flags?: ForcedFlags<F>
  /** A real config: flags that are not forced are evaluated by its rules, as in production. */
  config?: Config
  /** The context. @default { userId: 'test-user' } */
  context?: Context
  /** The clock's start (ms, ISO string, Date), or a clock to share with other clients. @default Date.now() */
  now?: number | string | Date | TestClock
  /** Pinned rollout buckets (0..9999) per flag, to test rollout edges: `{ 'new-checkout': 2499 }`. */
  bucket?: { [K in FlagKey<F>]?: number }
  /** As `createClient`'s `defaults`. */
  defaults?: Partial<F>
}

/** A real client (the same evaluator) with forced values and a controllable clock. */
export interface TestClient<F extends FlagTypes = FlagTypes> extends Client<F> {
  /** Force one flag (or several: `set({ a: true, b: 'treatment' })`); `change` fires as in production. */
  set: {
    <K extends FlagKey<F>>(key: K, value: F[K] | string | boolean): void
    (flags: ForcedFlags<F>): void
  }
  /** Forget what `set` forced: back to the `flags` given to `createTestClient`. */
  reset: () => void
  /** The values forced now. */
  forced: () => ForcedFlags<F>
  /** The client's clock: `advance(ms)` and `set(instant)` fire schedule and ramp `change` events. */
  clock: TestClock
}

const own = Object.prototype.hasOwnProperty
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b)

/** The variant of `def` that `value` forces, or a thrown error saying what the flag offers. */
const variantFor = (key: string, def: FlagConfig, value: unknown): string => {
  const variants = def.variants ?? { on: true, off: false }
  const names = Object.keys(variants)
  const off = def.offVariant ?? 'off'
  if (typeof value === 'string' && own.call(variants, value)) return value
  const byValue = names.find((name) => same(variants[name], value))
  if (byValue !== undefined) return byValue
  if (value === false) return off
  const others = names.filter((name) => name !== off)
  if (value === true && others.length === 1) return others[0]!
  const hint = typeof value === 'string' ? closestName(value, names) : undefined
  throw new Error(
    `flagstage/testing: flags[${JSON.stringify(key)}]: ${JSON.stringify(value)} is neither a variant of ${JSON.stringify(key)} ` +
      `nor a variant's value (variants: ${names.join(', ')})${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`,
  )
}

/** A flag of its own for a forced value when there is no config: booleans on/off, anything else one variant. */
const standalone = (value: unknown): FlagConfig => {
  if (typeof value === 'boolean') return { enabled: true, rules: [{ serve: value ? 'on' : 'off' }] }
  const name = typeof value === 'string' && value !== 'off' ? value : 'on'
  return { enabled: true, variants: { [name]: value as JsonValue, off: null }, offVariant: 'off', rules: [{ serve: name }] }
}

type Internals = { replace: (next: Map<string, unknown>) => void; forced: () => Map<string, unknown> }
const internals = new WeakMap<object, Internals>()
/** For `withFlags`: swap the whole forced set at once (one config load, one `change`). */
export const testInternals = (client: object): Internals | undefined => internals.get(client)

/**
 * A real flagstage client for tests: the same evaluator as production, over `config` (or flags made from
 * `flags`), with values forced per flag, pinned buckets and a clock that moves only when told. No test
 * runner is needed (works under vitest, jest, node:test, Storybook).
 * @example
 * const client = createTestClient({ config, flags: { 'checkout-button': 'treatment' }, now: '2026-12-01T08:00:00Z' })
 * client.variant('checkout-button').value // 'green'
 * client.set('new-checkout', false)
 * client.clock.advance(60 * 60 * 1000) // schedules and ramps move; `change` fires
 */
export const createTestClient = <F extends FlagTypes = FlagTypes>(options: TestClientOptions<F> = {}): TestClient<F> => {
  const base = options.config ? validateConfig(options.config) : undefined
  const initial = new Map<string, unknown>(Object.entries(options.flags ?? {}))
  let forced = new Map(initial)
  const clock = typeof options.now === 'object' && !(options.now instanceof Date) ? options.now : createTestClock(options.now)

  /** The config in force: the base with each forced flag serving its forced variant to everyone. */
  const build = (values: Map<string, unknown>): Config => {
    const flags: Record<string, FlagConfig> = { ...base?.flags }
    for (const [key, value] of values) {
      const def = base && own.call(base.flags, key) ? base.flags[key] : undefined
      if (base && !def) {
        const hint = closestName(key, Object.keys(base.flags))
        throw new Error(`flagstage/testing: flags[${JSON.stringify(key)}]: no such flag in the config${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`)
      }
      const { schedule: _schedule, requires: _requires, ...rest } = def ?? {}
      // defineProperty: a flag may be named "__proto__"
      Object.defineProperty(flags, key, {
        value: def ? { ...rest, enabled: true, rules: [{ serve: variantFor(key, def, value) }] } : standalone(value),
        enumerable: true, writable: true, configurable: true,
      })
    }
    return { ...base, schemaVersion: 1, flags }
  }
  let emit: ((document: unknown) => void) | undefined
  const source: Source = {
    start: (push) => {
      emit = push
      push(build(forced))
      return () => (emit = undefined)
    },
  }
  const replace = (next: Map<string, unknown>): void => {
    const config = build(next) // throws on a bad value before anything changes
    forced = next
    emit?.(config)
  }
  build(forced) // report a bad `flags` option from createTestClient itself
  const client = createClient<F>({
    source,
    context: options.context ?? { userId: 'test-user' },
    now: clock.now,
    timer: clock.timer,
    ...(options.bucket ? { buckets: options.bucket as never } : {}),
    ...(options.defaults ? { defaults: options.defaults as never } : {}),
  })
  const set = (keyOrFlags: string | Record<string, unknown>, value?: unknown): void => {
    const next = new Map(forced)
    if (typeof keyOrFlags === 'string') next.set(keyOrFlags, value)
    else for (const key of Object.keys(keyOrFlags)) next.set(key, keyOrFlags[key])
    replace(next)
  }
  const test = client as TestClient<F>
  test.set = set as TestClient<F>['set']
  test.reset = () => replace(new Map(initial))
  test.forced = () => Object.fromEntries(forced) as ForcedFlags<F>
  test.clock = clock
  internals.set(test, { replace, forced: () => new Map(forced) })
  return test
}
