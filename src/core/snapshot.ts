import { ErrorCode, FlagstageError } from './errors.ts'
import type { SnapshotEntry } from './types.ts'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** True when a document is an evaluated snapshot rather than a config. */
export const isSnapshot = (document: unknown): boolean => isObject(document) && document.evaluated === true

const invalid = (path: string, message: string): FlagstageError =>
  new FlagstageError(ErrorCode.INVALID_CONFIG, message, { path })

/** Check an evaluated snapshot and index its entries; throws a `FlagstageError` naming the bad path. */
export const readSnapshot = (document: Record<string, unknown>): { entries: Map<string, SnapshotEntry>; revision: string | undefined } => {
  const { flags, revision } = document
  if (revision !== undefined && typeof revision !== 'string') throw invalid('revision', 'must be a string')
  if (!isObject(flags)) throw invalid('flags', 'must be an object of evaluated flags')
  const entries = new Map<string, SnapshotEntry>()
  for (const key of Object.keys(flags)) {
    const entry = flags[key]
    const at = `flags[${JSON.stringify(key)}]`
    if (!isObject(entry) || typeof entry.variant !== 'string' || !('value' in entry)) {
      throw invalid(at, 'must be { variant: string, value, enabled: boolean }')
    }
    const value = entry.value as SnapshotEntry['value']
    const enabled = typeof entry.enabled === 'boolean' ? entry.enabled : value === true
    entries.set(key, { variant: entry.variant, value, enabled })
  }
  return { entries, revision }
}
