/** Retry options shared by `http()` and `sse()`. */
export interface BackoffOptions {
  /** Cap of the first retry delay after a failure; doubles per failure (full jitter: the delay is random below the cap). @default 1_000 */
  retryBaseMs?: number
  /** Largest cap of a retry delay. @default 60_000 */
  retryMaxMs?: number
  /** Randomness in [0, 1) for jitter and backoff, injectable for tests. @default Math.random */
  random?: () => number
}

/** Delays for successive retries. */
export interface Backoff {
  /** The next delay in ms: `random() * min(retryMaxMs, retryBaseMs * 2 ** attempt)`, then `attempt++`. */
  next(): number
  /** Back to the first attempt (call after a success). */
  reset(): void
}

/**
 * Exponential backoff with full jitter, shared by `http()` and `sse()`: retrying clients spread
 * out instead of hitting a recovering server in lockstep.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example
 * const backoff = createBackoff({ retryBaseMs: 1_000, retryMaxMs: 60_000 })
 * setTimeout(retry, backoff.next())
 */
/* @__NO_SIDE_EFFECTS__ */
export function createBackoff({ retryBaseMs = 1_000, retryMaxMs = 60_000, random = Math.random }: BackoffOptions): Backoff {
  let attempt = 0
  return {
    // The exponent stops at 30 so the cap never becomes Infinity (or NaN when the base is 0).
    next: () => random() * Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempt++, 30)),
    reset: () => {
      attempt = 0
    },
  }
}
