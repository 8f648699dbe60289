/** Options of `createBackoff`. */
export interface BackoffOptions {
  /** Cap of the first delay; doubles on every `next()`. */
  baseMs: number
  /** The cap never grows past this. */
  maxMs: number
  /** Source of randomness in [0, 1), injectable for tests. @default Math.random */
  random?: () => number
}

/** Delays for successive retries. */
export interface Backoff {
  /** The next delay in ms: `random() * min(maxMs, baseMs * 2 ** attempt)`, then `attempt++`. */
  next(): number
  /** Back to the first attempt (call after a success). */
  reset(): void
}

/**
 * Exponential backoff with full jitter, shared by `http()` and `sse()`: retrying clients spread
 * out instead of hitting a recovering server in lockstep.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example
 * const backoff = createBackoff({ baseMs: 1_000, maxMs: 60_000 })
 * setTimeout(retry, backoff.next())
 */
/* @__NO_SIDE_EFFECTS__ */
export function createBackoff({ baseMs, maxMs, random = Math.random }: BackoffOptions): Backoff {
  let attempt = 0
  return {
    // The exponent stops at 30 so the cap never becomes Infinity (or NaN when baseMs is 0).
    next: () => random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt++, 30)),
    reset: () => {
      attempt = 0
    },
  }
}
