// Per-test timeouts detect hangs; they are not speed checks (speed is measured in benchmarks/). A test whose
// work is CPU-bound (thousands of generated cases, a type-check, a bundle) or that spawns processes takes
// 10-20x longer on 2 cores at load 25-35 than on an idle machine, past vitest's 20 s default (vitest.config.ts):
// it takes this one instead, so a loaded CI machine does not fail it for being slow.
//
//   it('agrees with RegExp on 1,500 generated patterns', SLOW, () => { ... })
//   describe('... in a child process', SLOW, () => { ... })

/** A hang detector for heavy tests: 3 minutes. */
export const SLOW = { timeout: 180_000 } as const

/**
 * For `vi.waitFor` / `expect.poll` on something that must happen (a request, an event, a state): their default
 * gives up after 1 s, which a loaded machine misses; this fails only when it never comes (in time for a hang).
 *
 *   await vi.waitFor(() => expect(server.hits.length).toBeGreaterThanOrEqual(3), EVENTUALLY)
 */
export const EVENTUALLY = { timeout: 30_000, interval: 5 } as const
