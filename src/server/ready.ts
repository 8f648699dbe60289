// One wait for a cold client (a Worker's first request), shared by every flagstage/server handler.
import type { Client } from 'flagstage'

/** A key no config holds: evaluating it tells "nothing to serve yet" (`PROVIDER_NOT_READY`) from "loaded". */
export const PROBE_KEY = '\u0000flagstage:probe'

/** True while the client has neither a config nor an evaluated snapshot to serve (bootstrap and cache count). */
export const isCold = (client: Client): boolean => client.explain(PROBE_KEY).errorCode === 'PROVIDER_NOT_READY'

/**
 * Give a cold client up to `timeoutMs` to load its first config: a promise (never rejects) while
 * it has nothing to serve, else undefined, so a warm request goes on synchronously (no await tick
 * in which a reload could land between reading the request and choosing the config).
 * @example
 * const cold = whenServable(client, readyTimeoutMs); if (cold) await cold
 */
export const whenServable = (client: Client, timeoutMs: number): Promise<unknown> | undefined =>
  isCold(client) ? client.ready({ timeoutMs }) : undefined
