// One wait for a cold client (a Worker's first request), shared by every flagstage/server handler.
import type { Client } from 'flagstage'

/** A key no config holds: evaluating it tells "nothing to serve yet" (`PROVIDER_NOT_READY`) from "loaded". */
export const PROBE_KEY = '\u0000flagstage:probe'

/** True while the client has neither a config nor an evaluated snapshot to serve (bootstrap and cache count). */
export const isCold = (client: Client): boolean => client.explain(PROBE_KEY).errorCode === 'PROVIDER_NOT_READY'

/**
 * Give a cold client up to `timeoutMs` to load its first config; resolves at once when it has
 * something to serve. Never rejects.
 * @example
 * await whenServable(client, readyTimeoutMs); return serve(client.forContext(ctx))
 */
export const whenServable = async (client: Client, timeoutMs: number): Promise<void> => {
  if (isCold(client)) await client.ready({ timeoutMs })
}
