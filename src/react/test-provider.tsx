import { createClient } from 'flagstage'
import type { Client, Config, Context, FlagKey, FlagTypes, FlagValue, JsonValue, Snapshot, Source, VariantName } from 'flagstage'
import { createElement, useEffect, useState } from 'react'
import type { ReactElement, ReactNode } from 'react'
import { FlagsProvider } from './provider.tsx'

/** Props of `<TestFlagsProvider>`. */
export interface TestFlagsProviderProps<F extends FlagTypes = FlagTypes> {
  /**
   * The values to serve. Each is served as a variant, named (first match wins): by `variants`; else,
   * with `config`, the flag's variant with that value; else `on`/`off` for `true`/`false`, the value
   * itself for a string, `on` for anything else. Enabled: with `config`, unless it is the flag's
   * `offVariant`; otherwise every value but `false` and `null`. Change the prop to change the flags
   * (components re-render as in production).
   */
  flags: { [K in FlagKey<F>]?: FlagValue<F, K> }
  /**
   * Your real config (e.g. `import config from './flags.json'`): values are matched to its variants,
   * so `{ 'checkout-button': 'green' }` serves variant `treatment` and `<Feature variant="treatment">` renders.
   */
  config?: Config | { flags: Record<string, { variants?: Record<string, JsonValue>; offVariant?: string }> }
  /** Variant names to serve, when the value alone does not say: `{ 'checkout-button': 'treatment' }`. */
  variants?: { [K in FlagKey<F>]?: VariantName<F[K]> }
  /** The client's context. @default {} */
  context?: Context
  children?: ReactNode
}

type Definitions = Record<string, { variants?: Record<string, JsonValue>; offVariant?: string } | undefined>

const same = (a: JsonValue | undefined, b: JsonValue): boolean => a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))

const toSnapshot = (flags: Record<string, JsonValue | undefined>, names: Record<string, string | undefined>, defs: Definitions | undefined): Snapshot => ({
  evaluated: true,
  revision: undefined,
  flags: Object.fromEntries(
    Object.entries(flags).map(([key, value = null]) => {
      const def = defs && Object.hasOwn(defs, key) ? defs[key] : undefined
      const variants = def ? (def.variants ?? { on: true, off: false }) : undefined
      const variant = names[key] ??
        (variants && Object.keys(variants).find((name) => same(variants[name], value))) ??
        (typeof value == 'string' ? value : value === false ? 'off' : 'on')
      const enabled = def ? variant !== (def.offVariant ?? 'off') && value !== false : value !== false && value !== null
      return [key, { variant, value, enabled }]
    }),
  ),
})

interface TestClient {
  client: Client
  json: string
  push?: (document: unknown) => void
}

/**
 * A provider for your tests and stories: serves fixed values through a real client (bootstrapped
 * with an evaluated snapshot), so hooks, `<Feature>` and re-renders behave as in production. Give it
 * your `config` (or `variants`) so values are served under their real variant names.
 * @example
 * render(<TestFlagsProvider config={config} flags={{ 'new-checkout': true, 'checkout-button': 'green' }}><Checkout /></TestFlagsProvider>)
 */
export const TestFlagsProvider = <F extends FlagTypes = FlagTypes>({ flags, config, variants = {}, context = {}, children }: TestFlagsProviderProps<F>): ReactElement => {
  const json = JSON.stringify([flags, variants])
  const defs = config?.flags as Definitions | undefined
  const [test] = useState((): TestClient => {
    const bootstrap = toSnapshot(flags, variants, defs)
    const test: Partial<TestClient> = { json }
    // The source answers at once with the same snapshot (status `ready`), and lets a new `flags` prop in.
    const source: Source = {
      start: (emit) => {
        test.push = emit
        emit(bootstrap)
        return () => {}
      },
    }
    test.client = createClient({ bootstrap, context, source })
    return test as TestClient
  })
  useEffect(() => {
    if (json !== test.json) {
      const [nextFlags, nextVariants] = JSON.parse((test.json = json)) as [Record<string, JsonValue>, Record<string, string>]
      test.push?.(toSnapshot(nextFlags, nextVariants, defs))
    }
  }, [json])
  return createElement(FlagsProvider, { client: test.client }, children)
}
