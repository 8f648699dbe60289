import { validateConfig } from 'flagstage'
import type { Condition } from 'flagstage'

/** A condition that never matches: `in` an empty list. `{ not: NEVER }` always matches. */
export const NEVER: Condition = { attr: '$never', op: 'in', values: [] }

const seen = new Map<string, boolean>()

/**
 * Whether flagstage's validator accepts `condition` (a regex its matcher supports, a CIDR block it
 * parses): what Unleash would ignore or fail on is translated to a condition that never matches,
 * instead of making the whole config invalid.
 */
export const accepts = (condition: Condition): boolean => {
  const key = JSON.stringify(condition)
  let ok = seen.get(key)
  if (ok === undefined) {
    try {
      validateConfig({ schemaVersion: 1, flags: { probe: { enabled: true, rules: [{ if: condition, serve: 'on' }] } } })
      ok = true
    } catch {
      ok = false
    }
    if (seen.size > 1000) seen.clear()
    seen.set(key, ok)
  }
  return ok
}
