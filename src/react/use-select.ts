import { useRef, useSyncExternalStore } from 'react'
import type { Client } from 'flagstage'
import { useFlagsContext } from './context.ts'

/** Equal JSON values: the same reference, or objects/arrays that serialize alike (two config revisions). */
export const sameJson = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a == 'object' && JSON.stringify(a) === JSON.stringify(b))

/**
 * @internal The one place hooks meet React: `useSyncExternalStore` over the provider's client,
 * with the result cached per hook instance. `select` runs on every client change, and the previous
 * result is returned while `equal` holds, so getSnapshot is stable and only components whose own
 * value changed re-render. getServerSnapshot reads the provider's frozen SSR view.
 */
export const useSelect = <T>(select: (client: Client) => T, equal: (a: T, b: T) => boolean = Object.is): T => {
  const { client, server } = useFlagsContext()
  const last = useRef<[T] | undefined>(undefined)
  const read = (from: Client): T => {
    const next = select(from)
    const prev = last.current
    return prev && equal(prev[0], next) ? prev[0] : (last.current = [next])[0]
  }
  // client.subscribe is a stable closure (core builds the client from closures), and the client
  // notifies it after every change to evaluations or status.
  return useSyncExternalStore(client.subscribe, () => read(client), () => read(server()))
}
