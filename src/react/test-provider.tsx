import { createClient } from 'flagstage'
import type { Client, Context, FlagKey, FlagTypes, JsonValue, Snapshot, Source } from 'flagstage'
import { createElement, useEffect, useState } from 'react'
import type { ReactElement, ReactNode } from 'react'
import { FlagsProvider } from './provider.tsx'

/** Props of `<TestFlagsProvider>`. */
export interface TestFlagsProviderProps<F extends FlagTypes = FlagTypes> {
  /**
   * The values to serve. `true`/`false` serve variants `on`/`off`; a string is served as the variant
   * of that name with that value; other values as variant `on`. Every value but `false` and `null`
   * counts as enabled. Change the prop to change the flags (components re-render as in production).
   */
  flags: { [K in FlagKey<F>]?: F[K] }
  /** The client's context. @default {} */
  context?: Context
  children?: ReactNode
}

const toSnapshot = (flags: Record<string, JsonValue | undefined>): Snapshot => ({
  evaluated: true,
  revision: undefined,
  flags: Object.fromEntries(
    Object.entries(flags).map(([key, value = null]) => [
      key,
      { variant: typeof value == 'string' ? value : value === false ? 'off' : 'on', value, enabled: value !== false && value !== null },
    ]),
  ),
})

interface TestClient {
  client: Client
  json: string
  push?: (document: unknown) => void
}

/**
 * A provider for your tests and stories: serves fixed values through a real client (bootstrapped
 * with an evaluated snapshot), so hooks, `<Feature>` and re-renders behave as in production.
 * @example
 * render(<TestFlagsProvider flags={{ 'new-checkout': true, 'checkout-button': 'green' }}><Checkout /></TestFlagsProvider>)
 */
export const TestFlagsProvider = <F extends FlagTypes = FlagTypes>({ flags, context = {}, children }: TestFlagsProviderProps<F>): ReactElement => {
  const json = JSON.stringify(flags)
  const [test] = useState((): TestClient => {
    const bootstrap = toSnapshot(flags)
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
    if (json !== test.json) test.push?.(toSnapshot(JSON.parse((test.json = json))))
  }, [json])
  return createElement(FlagsProvider, { client: test.client }, children)
}
