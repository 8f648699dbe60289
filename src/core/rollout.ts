import { BUCKETS, hashFrom, hashPrefix, toBucket, type HashState } from './hash.ts'
import { asTime, reader } from './conditions.ts'
import type { By, Context, Ramp } from './types.ts'

/** Reads a unit id (stickiness) from a context: a non-empty string, or a finite number as its decimal string. */
export type UnitReader = (context: Context) => string | undefined


const asUnit = (value: unknown): string | undefined =>
  typeof value === 'string' ? (value === '' ? undefined : value)
    : typeof value === 'number' && Number.isFinite(value) ? String(value)
      : undefined

/** `$random` in a `by` list: a fresh id per evaluation (not sticky). */
export const RANDOM_UNIT = '$random'
const randomUnit: UnitReader = () => String(Math.random())

/** `by` names the stickiness attribute (or attributes, tried in order); without it: userId, then sessionId, then anonymousId. */
export const unitReader = (by: By | undefined): UnitReader => {
  if (by === undefined) return (context) => asUnit(context.userId) ?? asUnit(context.sessionId) ?? asUnit(context.anonymousId)
  if (typeof by === 'string') {
    if (by === RANDOM_UNIT) return randomUnit
    const read = reader(by)
    return (context) => asUnit(read(context))
  }
  const readers = by.map(unitReader)
  return (context) => {
    for (let i = 0; i < readers.length; i++) {
      const unit = readers[i]!(context)
      if (unit !== undefined) return unit
    }
    return undefined
  }
}

/** Compiled percentage: a threshold in buckets, fixed or rising along a ramp with the clock. */
export interface Threshold {
  /** Fixed threshold (`round(p * 100)`), or -1 when `at(now)` must be asked. */
  fixed: number
  at(now: number): number
  /** Instants (ms) where a ramp starts and ends; empty for a fixed percentage. */
  bounds: number[]
}

export const compileThreshold = (rollout: number | Ramp, buckets: number = BUCKETS): Threshold => {
  // round(p * 100): `1.1 * 100` is 110.00000000000001 in floating point.
  const toBuckets = buckets === BUCKETS ? (percent: number): number => Math.round(percent * 100)
    : (percent: number): number => Math.round((percent * buckets) / 100)
  if (typeof rollout === 'number') {
    const fixed = toBuckets(rollout)
    return { fixed, at: () => fixed, bounds: [] }
  }
  const start = asTime(rollout.start) ?? 0
  const end = asTime(rollout.end) ?? start
  const { from, to } = rollout
  const span = end - start
  const at = (now: number): number =>
    now <= start ? toBuckets(from)
      : now >= end || span <= 0 ? toBuckets(to)
        : toBuckets(from + ((to - from) * (now - start)) / span)
  return { fixed: -1, at, bounds: [start, end] }
}

/** Bucket 0..9999 of `unit` after a precomputed `salt:` (or `salt:variant:`) prefix. */
export const bucket = (prefix: HashState, unit: string): number => toBucket(hashFrom(prefix, unit))

export const rolloutPrefix = (salt: string): HashState => hashPrefix(`${salt}:`)
export const variantPrefix = (salt: string): HashState => hashPrefix(`${salt}:variant:`)

/** Compiled split: variant names and cumulative bucket bounds, in the order written. */
export interface Split {
  names: string[]
  bounds: number[]
}

export const compileSplit = (weights: Record<string, number>, buckets: number = BUCKETS): Split => {
  const names = Object.keys(weights)
  let total = 0
  for (const name of names) total += weights[name]!
  let sum = 0
  const bounds = names.map((name) => (buckets * (sum += weights[name]!)) / total)
  return { names, bounds }
}

/** Index of the first variant whose cumulative share is greater than the variant bucket. */
export const pickSplit = (split: Split, variantBucket: number): number => {
  const { bounds } = split
  for (let i = 0; i < bounds.length; i++) if (bounds[i]! > variantBucket) return i
  return bounds.length - 1
}
