import type { Config, FlagConfig, Snapshot } from './types.ts'

const own = Object.prototype.hasOwnProperty

/**
 * Two JSON values are the same, keys in the same order (a split's order matters): what comparing their
 * JSON texts says, without writing them. The same reference answers at once: a merge patch (SSE) keeps
 * every flag it does not touch, so those cost nothing; a whole new document stops at the first difference.
 */
const same = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a != 'object' || typeof b != 'object' || !a || !b || Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!
    if (k !== kb[i] || !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}

/** Keys whose served variant or value differs between two evaluations of the same context. */
export const changedKeys = (before: Snapshot | undefined, after: Snapshot): string[] => {
  const keys: string[] = []
  const old = before?.flags ?? {}
  for (const key of Object.keys(after.flags)) {
    const a = after.flags[key]!
    const b = own.call(old, key) ? old[key] : undefined
    if (!b || b.variant !== a.variant || b.enabled !== a.enabled || !same(b.value, a.value)) keys.push(key)
  }
  for (const key of Object.keys(old)) if (!own.call(after.flags, key)) keys.push(key)
  return keys
}

/** A flag whose answer can move without its own definition changing: clock, prerequisites. */
const dependent = (def: FlagConfig): boolean =>
  !!def.schedule || !!def.requires?.length ||
  !!def.rules?.some((rule) => typeof rule.serve === 'object' && 'rollout' in rule.serve && typeof rule.serve.rollout === 'object')

/**
 * The flags of `next` that must be evaluated again after a config edit: those whose definition
 * changed, plus those that read the clock or other flags; every flag when segments changed.
 * The rest keep their last evaluation, so a push that edits one flag of 10,000 compiles one flag.
 */
export const touchedKeys = (previous: Config, next: Config): Set<string> => {
  const keys = Object.keys(next.flags)
  if (!same(previous.segments, next.segments)) return new Set(keys)
  const touched = new Set<string>()
  for (const key of keys) {
    const def = next.flags[key]!
    const before = own.call(previous.flags, key) ? previous.flags[key] : undefined
    if (!before || dependent(def) || !same(before, def)) touched.add(key)
  }
  return touched
}
