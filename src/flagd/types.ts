import type { JsonValue } from 'flagstage'

/** One flag of a flagd flag definition file. */
export interface FlagdFlag {
  state: 'ENABLED' | 'DISABLED'
  variants: Record<string, JsonValue>
  /** Served when targeting returns null; null or absent: the caller's default. */
  defaultVariant?: string | null
  /** JsonLogic that returns a variant name (or null for the default). */
  targeting?: JsonValue
  metadata?: Record<string, string | number | boolean>
}

/** A flagd flag definition file (also read by GO Feature Flag's flagd mode and others). */
export interface FlagdDefinitions {
  $schema?: string
  flags: Record<string, FlagdFlag>
  /** Reusable JsonLogic, referenced from targeting as `{ "$ref": "name" }`. */
  $evaluators?: Record<string, JsonValue>
  metadata?: Record<string, string | number | boolean>
}

/** Options of `fromFlagd()`. */
export interface FromFlagdOptions {
  /**
   * `fractional` bucketing: `v2` (flagd 0.13+, flagd-core 4: `(hash * totalWeight) >> 32`, integer
   * weights) or `v1` (earlier releases: `|hash as int32| / (2^31 - 1) * 100` against percentages).
   * @default 'v2'
   */
  fractional?: 'v1' | 'v2'
}
