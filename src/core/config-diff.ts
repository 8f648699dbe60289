import type { Condition, Config, SnapshotEntry } from './types.ts'

const own = Object.prototype.hasOwnProperty
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b)

/** Names of the segments a condition reads directly. Depth is bounded by the validator. */
const segmentsOf = (condition: Condition | undefined, out: Set<string>): Set<string> => {
  if (!condition || typeof condition !== 'object') return out
  if ('segment' in condition) out.add(condition.segment)
  else if ('all' in condition) for (const c of condition.all) segmentsOf(c, out)
  else if ('any' in condition) for (const c of condition.any) segmentsOf(c, out)
  else if ('not' in condition) segmentsOf(condition.not, out)
  return out
}

/**
 * Grow `changed` to a fixed point: a node changes when one of the nodes it reads changed.
 * Linear-ish in practice: each pass adds at least one node, and graphs are small.
 */
const spread = (changed: Set<string>, reads: Map<string, string[]>): void => {
  for (let grew = true; grew; ) {
    grew = false
    for (const [node, inputs] of reads) {
      if (!changed.has(node) && inputs.some((input) => changed.has(input))) {
        changed.add(node)
        grew = true
      }
    }
  }
}

/**
 * The flags whose definition differs between two configs: added, removed or edited, plus those
 * that read (through `if` conditions, nested segments or `requires`) a segment or flag that did.
 * Flags that move only with the clock (schedules, ramps) are not listed. In config order, then removed ones.
 */
export const configChanges = (previous: Config | undefined, next: Config): string[] => {
  const keys = Object.keys(next.flags)
  if (!previous) return keys
  const before = previous.segments ?? {}
  const after = next.segments ?? {}
  const segments = new Set<string>()
  const segmentReads = new Map<string, string[]>()
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = own.call(before, name) ? before[name] : undefined
    const b = own.call(after, name) ? after[name] : undefined
    if (!a || !b || !same(a, b)) segments.add(name)
    if (b) segmentReads.set(name, [...segmentsOf(b, new Set())])
  }
  spread(segments, segmentReads)
  const flags = new Set<string>()
  const flagReads = new Map<string, string[]>()
  for (const key of keys) {
    const def = next.flags[key]!
    const old = own.call(previous.flags, key) ? previous.flags[key] : undefined
    const used = new Set<string>()
    for (const rule of def.rules ?? []) segmentsOf(rule.if, used)
    if (!old || !same(old, def) || [...used].some((s) => segments.has(s))) flags.add(key)
    if (def.requires?.length) flagReads.set(key, def.requires.map((r) => r.flag))
  }
  const removed = Object.keys(previous.flags).filter((key) => !own.call(next.flags, key))
  for (const key of removed) flags.add(key)
  spread(flags, flagReads)
  return [...keys.filter((key) => flags.has(key)), ...removed]
}

/** Keys whose evaluated entry differs between two snapshots (or that one of them lacks). */
export const entryChanges = (previous: Map<string, SnapshotEntry> | undefined, next: Map<string, SnapshotEntry>): string[] => {
  const keys: string[] = []
  for (const [key, entry] of next) {
    const old = previous?.get(key)
    if (!old || old.variant !== entry.variant || old.enabled !== entry.enabled || !same(old.value, entry.value)) keys.push(key)
  }
  if (previous) for (const key of previous.keys()) if (!next.has(key)) keys.push(key)
  return keys
}
