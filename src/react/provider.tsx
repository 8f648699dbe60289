import { createClient } from 'flagstage'
import type { Client, ClientOptions, FlagTypes, Snapshot, Source } from 'flagstage'
import { createElement, useEffect, useMemo, useState } from 'react'
import type { ReactElement, ReactNode } from 'react'
import { FlagsContext } from './context.ts'
import type { FlagsContextValue } from './context.ts'

/**
 * Props of `<FlagsProvider>`: a `client` you created (and close yourself), or `options` to create
 * one the provider owns.
 */
export type FlagsProviderProps<F extends FlagTypes = FlagTypes> = {
  children?: ReactNode
  /**
   * The evaluated snapshot the server rendered with (the one you serialized and bootstrapped
   * from). Hooks read it on the server and while hydrating, so the first browser render matches the
   * server HTML exactly, even if the client has already received a newer config.
   * @default with `options`: `options.bootstrap` evaluated like the client; with `client`: the client's flags at the first read
   */
  snapshot?: Snapshot
} & (
  | {
      /** A client you created; the provider never closes it. */
      client: Client<F>
      options?: never
    }
  | {
      /**
       * `createClient` options, read once: the provider creates the client on first render, starts its
       * source after mount (once, also under StrictMode) and closes it on unmount.
       */
      options: ClientOptions<F>
      client?: never
    }
)

interface Owned {
  client: Client
  /**
   * The options without source, cache and overrides: what the server rendered from `bootstrap`
   * (browser-only overrides such as `urlOverrides()` apply right after hydration).
   */
  view: ClientOptions
  open: () => void
  close: () => void
  closed?: boolean
  closing?: ReturnType<typeof setTimeout>
}

// The client is created during render, which React may repeat or discard (StrictMode, Suspense),
// so its source is gated: nothing is opened until `open()`, called from an effect.
const own = (options: ClientOptions): Owned => {
  const { source, cache, overrides, ...view } = options
  let start: Parameters<Source['start']> | undefined
  let stop: (() => void) | undefined
  const owned: Owned = {
    client: createClient(source ? { ...options, source: { start: (...args) => ((start = args), () => stop?.()) } } : options),
    view,
    open: () => {
      if (source && start && !stop) stop = source.start(...start)
    },
    close: () => {
      owned.closed = true
      owned.client.close()
    },
  }
  return owned
}

/**
 * Makes a flagstage client available to the hooks and `<Feature>` below it.
 * @example
 * // browser, after SSR
 * <FlagsProvider options={{ bootstrap: window.__FLAGS__, source: sse('/flags/stream'), context: { userId } }}>
 *   <App />
 * </FlagsProvider>
 * // server
 * <FlagsProvider client={createClient({ bootstrap: config, context: { userId } })}><App /></FlagsProvider>
 */
export const FlagsProvider = <F extends FlagTypes = FlagTypes>({ client, options, snapshot, children }: FlagsProviderProps<F>): ReactElement => {
  const [owned, setOwned] = useState(() => (client ? undefined : own(options as ClientOptions)))
  const live = (client ?? owned!.client) as Client
  useEffect(() => {
    if (!owned) return
    // Shown again after a real close (e.g. <Activity>): start afresh.
    if (owned.closed) return setOwned(own(options as ClientOptions))
    // StrictMode unmounts and remounts synchronously: the remount cancels the close, so the source starts once.
    clearTimeout(owned.closing)
    owned.open()
    return () => {
      owned.closing = setTimeout(owned.close)
    }
  }, [owned])
  const value = useMemo((): FlagsContextValue => {
    let view: Client | undefined
    return {
      client: live,
      server: () => (view ??= createClient(snapshot ? { bootstrap: snapshot } : owned ? owned.view : { bootstrap: live.snapshot() })),
    }
  }, [live])
  return createElement(FlagsContext.Provider, { value }, children)
}
