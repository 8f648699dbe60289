import type { ErrorCode, FlagMetadata, JsonValue, ResolutionDetails } from '@openfeature/core'
import type { Client, Explanation } from 'flagstage'

/** The four OpenFeature flag types. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object'

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

/** `object` takes JSON objects and arrays (OpenFeature's `JsonValue` minus the primitives). */
const isType = (value: unknown, type: FlagType): boolean =>
  type === 'object' ? value !== null && typeof value === 'object' : typeof value === type

/**
 * Flag metadata of one evaluation: `revision` (of the config in force), `ruleIndex` (the rule that
 * served) and `bucket` (the unit's rollout bucket, 0..9999), each only when known. OpenTelemetry
 * hooks and `getXxxDetails(...).flagMetadata` see these.
 */
export const flagMetadataOf = (x: Explanation<unknown>): FlagMetadata => {
  const metadata: FlagMetadata = {}
  if (x.revision !== undefined) metadata.revision = x.revision
  if (x.ruleIndex >= 0) metadata.ruleIndex = x.ruleIndex
  if (x.bucket >= 0) metadata.bucket = x.bucket
  return metadata
}

/** An error resolution: the code default, reason `ERROR`, a code and a message that says what to fix. */
export const failure = <T>(defaultValue: T, errorCode: string, errorMessage: string, flagMetadata?: FlagMetadata): ResolutionDetails<T> => {
  const out: ResolutionDetails<T> = { value: defaultValue, reason: 'ERROR', errorCode: errorCode as ErrorCode, errorMessage }
  if (flagMetadata) out.flagMetadata = flagMetadata
  return out
}

/**
 * A flagstage explanation as an OpenFeature resolution. Reasons are already OpenFeature's; a value
 * of another type than asked is `TYPE_MISMATCH`; with no config in force, `PARSE_ERROR` when the last
 * document the source sent was rejected, `PROVIDER_NOT_READY` otherwise. Errors return the code default.
 */
export const toResolution = <T extends JsonValue>(
  x: Explanation<unknown>,
  defaultValue: T,
  type: FlagType,
  client: Pick<Client, 'status'>,
): ResolutionDetails<T> => {
  const metadata = flagMetadataOf(x)
  if (x.errorCode === 'FLAG_NOT_FOUND') {
    return failure(defaultValue, 'FLAG_NOT_FOUND', `flag "${x.key}" is not in the flagstage config${x.revision ? ` (revision ${x.revision})` : ''}`, metadata)
  }
  if (x.errorCode === 'PROVIDER_NOT_READY') {
    const { lastError } = client.status()
    if (lastError && (lastError.code === 'INVALID_CONFIG' || lastError.code === 'PARSE_ERROR')) {
      return failure(defaultValue, 'PARSE_ERROR', `no flagstage config in force: ${lastError.message}`, metadata)
    }
    return failure(defaultValue, 'PROVIDER_NOT_READY', 'no flagstage config has loaded yet', metadata)
  }
  if (x.errorCode) return failure(defaultValue, x.errorCode, `flag "${x.key}" could not be evaluated`, metadata)
  if (!isType(x.value, type)) {
    return failure(defaultValue, 'TYPE_MISMATCH', `flag "${x.key}" serves a ${kindOf(x.value)} (variant "${x.variant}"), not a ${type}`, metadata)
  }
  const out: ResolutionDetails<T> = { value: x.value as T, reason: x.reason, flagMetadata: metadata }
  if (x.variant !== undefined) out.variant = x.variant
  return out
}
