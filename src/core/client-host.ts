import type { EvaluationHost } from './evaluator.ts'
import type { Context } from './types.ts'

/** What `describeFlag(client, key)` reads from a client: its store, clock, overrides, pins and context. */
export interface ClientHost {
  host: EvaluationHost
  context: () => Context
}

// Kept beside the client rather than on it, so that apps that never describe a flag don't ship describe.ts
// (a `client.describe` method would put it in every bundle that calls createClient: +0.9 kB brotli).
// Process-wide, like the operator registry (operators.ts): a Symbol.for slot every copy loaded in the process
// finds, so setOverrides / getOverrides / describeFlag from one build (flagstage/devtools' ESM import) reach a
// client the other build made (a CJS require). The version in the key changes if ClientHost's shape does.
const SLOT = 'flagstage.hosts.v1'
let hosts: WeakMap<object, ClientHost> | undefined
const table = (): WeakMap<object, ClientHost> =>
  (hosts ??= (globalThis as unknown as Record<symbol, WeakMap<object, ClientHost>>)[Symbol.for(SLOT)] ??= new WeakMap())

export const registerHost = (client: object, entry: ClientHost): void => {
  table().set(client, entry)
}

export const hostOf = (client: object): ClientHost | undefined => table().get(client)
