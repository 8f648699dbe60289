import { checkSnapshot } from './validate.ts'
import type { SnapshotEntry } from './types.ts'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** True when a document is an evaluated snapshot rather than a config. */
export const isSnapshot = (document: unknown): boolean => isObject(document) && document.evaluated === true

/**
 * Check an evaluated snapshot (keys, shapes, value depth: the limits of a config) and index its
 * entries; throws a `FlagstageError` naming the bad path.
 */
export const readSnapshot = (document: Record<string, unknown>): { entries: Map<string, SnapshotEntry>; revision: string | undefined } => {
  checkSnapshot(document)
  const flags = document.flags as Record<string, Record<string, unknown>>
  const entries = new Map<string, SnapshotEntry>()
  for (const key of Object.keys(flags)) {
    const entry = flags[key]!
    const value = entry.value as SnapshotEntry['value']
    entries.set(key, { variant: entry.variant as string, value, enabled: typeof entry.enabled === 'boolean' ? entry.enabled : value === true })
  }
  return { entries, revision: document.revision as string | undefined }
}
