import type { EvaluationHost } from './evaluator.ts'
import type { Context } from './types.ts'

/** What `describeFlag(client, key)` reads from a client: its store, clock, overrides, pins and context. */
export interface ClientHost {
  host: EvaluationHost
  context: () => Context
}

// Kept beside the client rather than on it, so that apps that never describe a flag don't ship describe.ts
// (a `client.describe` method would put it in every bundle that calls createClient: +0.9 kB brotli).
let hosts: WeakMap<object, ClientHost> | undefined

export const registerHost = (client: object, entry: ClientHost): void => {
  (hosts ??= new WeakMap()).set(client, entry)
}

export const hostOf = (client: object): ClientHost | undefined => hosts?.get(client)
