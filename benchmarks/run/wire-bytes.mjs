// Bytes on the wire for polling an unchanged config: a real `node:http` server on 127.0.0.1:0 serves a
// flagstage config with an ETag and answers 304 to a matching If-None-Match; one client,
// `createClient({ source: http(url, { pollMs: 50 }) })`, polls it. Counted at the server's socket
// (`socket.bytesRead` / `socket.bytesWritten` deltas per request, so HTTP/1.1 headers included; TCP/IP and TLS
// framing are not): the first request (200 with the body) and every later one (304 expected, no body).
// Two server modes: `identity` (the body as is) and `gzip` (precompressed, when the request accepts it, as a CDN
// serves JSON). The server sends what a bare Node server sends (Date, Connection, Keep-Alive, plus ETag,
// Cache-Control, Content-Type, Vary); a CDN adds its own headers (typically a few hundred bytes) to every
// response, 304s included.
//
// Checked: the client sends If-None-Match from the second request on, every later answer is a 304, the client
// stays `ready` on the same revision, the connection is reused, and the process exits on its own.
//   node run/wire-bytes.mjs [--smoke]
import http from 'node:http'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { createClient, http as httpSource } from 'flagstage'
import { coldConfigJson } from '../configs/generate.mjs'
import { median } from '../harness.mjs'
import { runChild, scenarioMain } from '../lib/child.mjs'

const SELF = fileURLToPath(import.meta.url)
export const CASES = [[50, 'identity'], [50, 'gzip'], [1000, 'identity'], [1000, 'gzip']]
const DEFAULT_POLL_MS = 30_000 // http()'s default pollMs, for the per-day column

const measureCase = async (nFlags, mode, polls) => {
  const json = coldConfigJson('flagstage', nFlags)
  const gz = gzipSync(json, { level: 9 })
  const etag = '"bench-1"'
  const requests = [] // { status, ifNoneMatch, acceptEncoding, read, written }
  const sockets = new Set()
  const last = new WeakMap() // socket -> { read, written } at the end of its previous request
  const server = http.createServer((req, res) => {
    const socket = req.socket
    const prev = last.get(socket) ?? { read: 0, written: 0 }
    // The request's head has been read in full when 'request' fires (a GET has no body).
    const entry = { read: socket.bytesRead - prev.read, ifNoneMatch: req.headers['if-none-match'], acceptEncoding: req.headers['accept-encoding'] }
    requests.push(entry)
    res.on('finish', () => {
      // bytesWritten counts what has been handed to the socket, queued bytes included.
      entry.written = socket.bytesWritten - prev.written
      last.set(socket, { read: socket.bytesRead, written: socket.bytesWritten })
    })
    const headers = { etag, 'cache-control': 'no-cache', 'content-type': 'application/json', vary: 'accept-encoding' }
    if (req.headers['if-none-match'] === etag) {
      entry.status = 304
      res.writeHead(304, headers).end()
      return
    }
    entry.status = 200
    const useGzip = mode === 'gzip' && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
    const body = useGzip ? gz : Buffer.from(json)
    entry.body = body.length
    res.writeHead(200, { ...headers, 'content-length': body.length, ...(useGzip ? { 'content-encoding': 'gzip' } : {}) }).end(body)
  })
  server.on('connection', (s) => sockets.add(s))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/flags.json`

  const errors = []
  const client = createClient({ source: httpSource(url, { pollMs: 50, jitter: 0 }), context: { userId: 'wire-bytes' } })
  client.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
  const ready = await client.ready({ timeoutMs: 10_000 })
  // Wait for `polls` more answers after the first (each finished and counted).
  const deadline = Date.now() + 10_000 + polls * 200
  while (requests.filter((r) => r.written !== undefined).length < polls + 1 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20))
  }
  const status = client.status()
  client.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))

  const done = requests.filter((r) => r.written !== undefined)
  const [first, ...later] = done
  const problems = [...new Set(errors)]
  if (ready.state !== 'ready' || status.state !== 'ready' || status.revision !== 'bench-1') problems.push(`client ${status.state} on ${status.revision}`)
  if (first?.status !== 200) problems.push(`first answer ${first?.status}`)
  if (later.length < polls) problems.push(`${later.length} polls of ${polls}`)
  if (later.some((r) => r.ifNoneMatch !== etag)) problems.push('a poll without If-None-Match')
  if (later.some((r) => r.status !== 304)) problems.push(`${later.filter((r) => r.status !== 304).length} later answers not 304`)
  if (mode === 'gzip' && !/gzip/.test(first?.acceptEncoding ?? '')) problems.push(`client does not accept gzip (${first?.acceptEncoding})`)
  const l304 = later.filter((r) => r.status === 304)
  return {
    flags: nFlags,
    mode,
    jsonBytes: Buffer.byteLength(json),
    gzipBytes: gz.length,
    first: first && { read: first.read, written: first.written, body: first.body },
    notModified: l304.length ? { read: median(l304.map((r) => r.read)), written: median(l304.map((r) => r.written)), n: l304.length } : undefined,
    connections: sockets.size,
    acceptEncoding: first?.acceptEncoding,
    problems,
  }
}

const child = async ([polls]) => {
  const results = []
  for (const [n, mode] of CASES) results.push(await measureCase(n, mode, Number(polls)))
  return { results }
}

export const run = async ({ smoke = false } = {}) => {
  const res = await runChild(SELF, [String(smoke ? 3 : 20)], { timeoutMs: 60_000 })
  return res.error ? { results: [], error: res.error } : res
}

export const wireProblems = ({ results, error }) => [
  ...(error ? [`wire bytes: ${error}`] : []),
  ...results.flatMap((r) => r.problems.map((p) => `wire bytes ${r.flags} flags ${r.mode}: ${p}`)),
]

const kb = (b) => (b >= 10_000 ? `${(b / 1000).toFixed(1)} kB` : `${b} B`)

export const wireTable = ({ results, error }) => {
  const lines = [
    '### Bytes on the wire per poll: first request (200) vs unchanged config (304), `http(url, { pollMs: 50 })`',
    '',
    '| config | server | 200: request | 200: response (body) | 304: request | 304: response | 304 ÷ 200 (request + response) | per day at pollMs 30 s, unchanged | connections |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  if (error) lines.push(`| ${error} | | | | | | | | |`)
  for (const r of results) {
    const f = r.first
    const m = r.notModified
    const total200 = f ? f.read + f.written : undefined
    const total304 = m ? m.read + m.written : undefined
    const perDay = total304 !== undefined ? (total304 * 86_400_000) / DEFAULT_POLL_MS : undefined
    lines.push(`| ${r.flags.toLocaleString('en-US')} flags | ${r.mode} | ${f ? `${f.read} B` : '–'} | ${f ? `${kb(f.written)} (${kb(f.body)})` : '–'} | ${m ? `${m.read} B` : '–'} | ${m ? `${m.written} B` : '–'} | ${total200 && total304 ? `${((100 * total304) / total200).toFixed(1)}%` : '–'} | ${perDay ? `${(perDay / 1e6).toFixed(2)} MB` : '–'} | ${r.connections}${r.problems.length ? ` (${r.problems.join('; ')})` : ''} |`)
  }
  const ae = results[0]?.acceptEncoding
  lines.push('', 'HTTP/1.1 bytes counted at the server socket (headers included; TCP/IP, TLS not). 304 columns: median over the polls after the first. ' +
    `The client sends \`If-None-Match\` and \`accept-encoding: ${ae ?? '?'}\` (undici fetch). ` +
    'The server is a bare `node:http` one (Date, Connection, Keep-Alive, ETag, Cache-Control, Content-Type, Vary headers); a CDN adds a few hundred bytes of its own headers to every response, 304s included.')
  return lines.join('\n')
}

await scenarioMain(import.meta.url, { child, report: async ({ smoke }) => wireTable(await run({ smoke })) })
