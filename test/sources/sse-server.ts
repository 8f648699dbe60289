// An event-stream server for the sse() tests.
import type { ServerResponse } from 'node:http'
import { sse } from 'flagstage'
import type { SseOptions } from 'flagstage'
import { json } from '../helpers/server.ts'
import type { Handler, Hit, TestServer } from '../helpers/server.ts'
import { record } from './record.ts'
import type { Recording } from './record.ts'

export const config = (revision: string, flags: object = {}): object => ({ schemaVersion: 1, revision, flags })
// timeoutMs and idleTimeoutMs stay far above what a loaded 2-core machine can stall a loopback stream (3 s was not).
export const fast: SseOptions = { retryBaseMs: 5, retryMaxMs: 20, fallbackPollMs: 30, timeoutMs: 15_000, idleTimeoutMs: 15_000 }

/** Start an event stream on `res`. */
export const open = (res: ServerResponse): ServerResponse => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.flushHeaders()
  return res
}
export const event = (name: string | undefined, data: unknown, id?: string): string =>
  `${id ? `id: ${id}\n` : ''}${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(data)}\n\n`

/** /stream answers with `stream` (per connection, 0-based), anything else with `fallback` as JSON. */
export const routes = (stream: (res: ServerResponse, n: number, req: Parameters<Handler>[0]) => void, fallback: () => object): Handler => {
  let n = 0
  return (req, res) => (req.url === '/stream' ? stream(res, n++, req) : json(res, fallback()))
}
export const streamHits = (server: TestServer): Hit[] => server.hits.filter((hit) => hit.path === '/stream')
export const fallbackHits = (server: TestServer): Hit[] => server.hits.filter((hit) => hit.path === '/flags.json')
/** sse() on /stream with /flags.json as fallback, recorded. */
export const start = (server: TestServer, options: SseOptions = {}): Recording =>
  record(sse(`${server.origin}/stream`, { ...fast, fallbackUrl: `${server.origin}/flags.json`, ...options }))
/** Emitted documents, without the { notModified } signals. */
export const docs = (rec: Recording): unknown[] => rec.docs.filter((doc) => doc !== undefined)
