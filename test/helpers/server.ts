// A real node:http server on 127.0.0.1:0 for source tests. Call `closeServers()` in afterEach.
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** One request as the server saw it. */
export interface Hit {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** performance.now() at arrival. */
  at: number
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly origin: string
  readonly port: number
  /** Every request so far, in arrival order. */
  readonly hits: Hit[]
  /** Replace the handler (takes effect for the next request). */
  handle(handler: Handler): void
  /** Stop listening and destroy every open connection (a crash, as clients see it). */
  stop(): Promise<void>
  /** Listen again on the same port. */
  restart(): Promise<void>
}

const open = new Set<TestServer>()

/** Start a server; `handler` defaults to 404. */
export const startServer = async (handler?: Handler): Promise<TestServer> => {
  let current: Handler = handler ?? ((_req, res) => res.writeHead(404).end())
  const hits: Hit[] = []
  const server = createServer((req, res) => {
    hits.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, at: performance.now() })
    current(req, res)
  })
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  await listen(0)
  const { port } = server.address() as AddressInfo
  const test: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    handle: (next) => {
      current = next
    },
    stop: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    restart: () => listen(port),
  }
  open.add(test)
  return test
}

/** Close every server started by this file's tests. */
export const closeServers = async (): Promise<void> => {
  await Promise.all([...open].map((server) => server.stop()))
  open.clear()
}

/** Answer with a JSON body (and optional headers). */
export const json = (res: ServerResponse, body: unknown, headers: Record<string, string> = {}, status = 200): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
