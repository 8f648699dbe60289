import type { Client, SnapshotEntry, Status } from 'flagstage'
import { sameJson, useSelect, type Subscribe } from './use-select.ts'

/**
 * Every flag evaluated for the provider's client: `{ [key]: { variant, value, enabled } }` (what
 * `client.snapshot().flags` holds). Re-renders when any flag changes: prefer `useFlag` for one flag.
 * @example
 * const flags = useFlags()
 * return <pre>{JSON.stringify(flags, null, 2)}</pre>
 */
export const useFlags = (): Record<string, SnapshotEntry> => useSelect((flags) => flags.snapshot().flags, sameJson)

// The client notifies `subscribe` before it updates status fields, and not at all on errors, so
// status listens to `ready` and `error` too, and re-reads a microtask after a config change.
const onStatus: Subscribe = (client, onChange) => {
  let live = true
  const offs = [
    client.subscribe(() => queueMicrotask(() => live && onChange())),
    client.on('ready', onChange),
    client.on('error', onChange),
  ]
  return () => {
    live = false
    for (const off of offs) off()
  }
}

const sameStatus = (a: Status, b: Status): boolean => (Object.keys(a) as (keyof Status)[]).every((k) => a[k] === b[k])

/**
 * The client's status: `{ state, revision, lastUpdated, lastError }` (`client.status()`), for a
 * spinner while `loading` or a notice when `stale`. On the server and while hydrating it reports the
 * SSR snapshot's view. Using it counts as handling the client's `error` events.
 * @example
 * const { state } = useFlagsStatus()
 * if (state === 'loading') return <Spinner />
 */
export const useFlagsStatus = (): Status => useSelect((client: Client) => client.status(), sameStatus, onStatus)
