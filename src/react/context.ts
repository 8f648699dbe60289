import { createContext, useContext } from 'react'
import type { Context as ReactContext } from 'react'
import type { Client, FlagTypes } from 'flagstage'

/** What a provider shares with the hooks below it. */
export interface FlagsContextValue {
  /** The live client: hooks subscribe to it and read it in the browser. */
  client: Client
  /**
   * The view hooks read on the server and while hydrating (React's getServerSnapshot): the SSR
   * snapshot, frozen at its first read, so the first browser render matches the server HTML even
   * when the live client has already received a newer config.
   */
  server: () => Client
}

/** @internal Shared by FlagsProvider, TestFlagsProvider and the hooks. */
export const FlagsContext: ReactContext<FlagsContextValue | null> = /* @__PURE__ */ createContext<FlagsContextValue | null>(null)

/** @internal The nearest provider's value; throws a message that names the fix. */
export const useFlagsContext = (): FlagsContextValue => {
  const value = useContext(FlagsContext)
  if (!value) {
    throw new Error('[flagstage] flag hooks need a <FlagsProvider> above them (tests: <TestFlagsProvider>)')
  }
  return value
}

/**
 * The client of the nearest `<FlagsProvider>`: for `setContext`, `explain` or `on('impression')`.
 * Reading flags through it does not re-render; use the hooks for that.
 * @example
 * const flags = useFlagsClient()
 * useEffect(() => flags.setContext({ userId: user.id }), [user.id])
 */
export const useFlagsClient = <F extends FlagTypes = FlagTypes>(): Client<F> =>
  useFlagsContext().client as unknown as Client<F>
