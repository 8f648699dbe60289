// Public entry of 'flagstage/testing': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage' (external in the build: one core instance).

export { createTestClock } from './clock.ts'
export { createTestClient } from './create-test-client.ts'
export { withFlags } from './with-flags.ts'

export type { TestClock } from './clock.ts'
export type { ForcedFlags, TestClient, TestClientOptions } from './create-test-client.ts'
