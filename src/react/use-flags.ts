import type { Client, SnapshotEntry, Status } from 'flagstage'
import { sameJson, useSelect } from './use-select.ts'

/**
 * Every flag evaluated for the provider's client: `{ [key]: { variant, value, enabled } }` (what
 * `client.snapshot().flags` holds). Re-renders when any flag changes: prefer `useFlag` for one flag.
 * @example
 * const flags = useFlags()
 * return <pre>{JSON.stringify(flags, null, 2)}</pre>
 */
export const useFlags = (): Record<string, SnapshotEntry> => useSelect((flags) => flags.snapshot().flags, sameJson)

const sameStatus = (a: Status, b: Status): boolean => (Object.keys(a) as (keyof Status)[]).every((k) => a[k] === b[k])

/**
 * The client's status: `{ state, revision, lastUpdated, lastError }` (`client.status()`), for a
 * spinner while `loading` or a notice when `stale`. Re-renders when any of these change. On the
 * server and while hydrating it reports the SSR snapshot's view (`ready` at its revision).
 * @example
 * const { state } = useFlagsStatus()
 * if (state === 'loading') return <Spinner />
 */
export const useFlagsStatus = (): Status => useSelect((client: Client) => client.status(), sameStatus)
