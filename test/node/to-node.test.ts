import { createServer, request as nodeRequest } from 'node:http'
import express from 'express'
import Fastify from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeRequestOf, toFastify, toNode } from 'flagstage/node'
import { closeAll, eventually, listen } from './helpers.ts'

afterEach(() => closeAll())

/** Echo what the Fetch handler saw of the request. */
const echo = async (request: Request): Promise<Response> => {
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text()
  return Response.json({
    method: request.method, url: request.url, body,
    accept: request.headers.get('accept'), cookies: request.headers.get('cookie'),
    hasNode: !!nodeRequestOf(request),
  }, { headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-custom', 'yes']] })
}

describe('toNode()', () => {
  it('turns a Fetch handler into a node:http listener: URL, method, headers, body, status and headers back', async () => {
    const origin = await listen(createServer(toNode(echo)))
    const res = await fetch(`${origin}/a/b?c=1`, { method: 'POST', body: 'x'.repeat(100_000), headers: { accept: 'text/plain', cookie: 'k=v' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-custom')).toBe('yes')
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    const seen = await res.json()
    expect(seen).toEqual({ method: 'POST', url: `${origin}/a/b?c=1`, body: 'x'.repeat(100_000), accept: 'text/plain', cookies: 'k=v', hasNode: true })
  })

  it('builds the URL from X-Forwarded-* only with trustProxy', async () => {
    const plain = await listen(createServer(toNode(echo)))
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'flags.example' }
    expect((await (await fetch(`${plain}/p`, { headers })).json()).url).toBe(`${plain}/p`)
    const trusted = await listen(createServer(toNode(echo, { trustProxy: true })))
    expect((await (await fetch(`${trusted}/p`, { headers })).json()).url).toBe('https://flags.example/p')
  })

  it('streams a response body chunk by chunk as it is produced, and cancels it when the client goes away', async () => {
    let cancelled = false
    let push: (chunk: string) => void = () => {}
    const encoder = new TextEncoder()
    const origin = await listen(createServer(toNode(() => new Response(new ReadableStream<Uint8Array>({
      start(controller) {
        push = (chunk) => controller.enqueue(encoder.encode(chunk))
        push(': hello\n\n')
      },
      cancel() {
        cancelled = true
      },
    }), { headers: { 'content-type': 'text/event-stream' } }))))
    const controller = new AbortController()
    const res = await fetch(origin, { signal: controller.signal })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    expect(decoder.decode((await reader.read()).value)).toBe(': hello\n\n')
    // The next chunk arrives while the response is still open: nothing is buffered until the end.
    push('data: 1\n\n')
    expect(decoder.decode((await reader.read()).value)).toBe('data: 1\n\n')
    controller.abort()
    await eventually(() => expect(cancelled).toBe(true))
  })

  it('aborts request.signal when the client disconnects before the answer', async () => {
    let aborted = false
    let started: () => void = () => {}
    const begun = new Promise<void>((resolve) => (started = resolve))
    const origin = await listen(createServer(toNode((request) => new Promise<Response>((resolve) => {
      request.signal.addEventListener('abort', () => {
        aborted = true
        resolve(new Response('late'))
      })
      started()
    }))))
    const { port } = new URL(origin)
    const req = nodeRequest({ port, host: '127.0.0.1', path: '/' })
    req.on('error', () => {})
    req.end()
    await begun
    req.destroy()
    await eventually(() => expect(aborted).toBe(true))
  })

  it('answers HEAD without a body and 500 when the handler throws (or passes the error to next)', async () => {
    const origin = await listen(createServer(toNode(echo)))
    const head = await fetch(origin, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const failing = await listen(createServer(toNode(() => { throw new Error('boom') })))
    const res = await fetch(failing)
    expect(res.status).toBe(500)
    const app = express()
    app.get('/', toNode(async () => { throw new Error('to next') }))
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => { res.status(418).send(error.message) })
    const viaNext = await fetch(await listen(createServer(app)))
    expect(viaNext.status).toBe(418)
    expect(await viaNext.text()).toBe('to next')
  })

  it('works as an Express route, with the body an Express parser already read', async () => {
    const app = express()
    app.use(express.json())
    app.post('/api/:x', toNode(echo))
    const origin = await listen(createServer(app))
    const seen = await (await fetch(`${origin}/api/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).json()
    expect(seen.url).toBe(`${origin}/api/1`)
    expect(JSON.parse(seen.body)).toEqual({ a: 1 })
  })

  it('waits for drain when the client reads slowly (backpressure), and still delivers everything', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(97)
    let produced = 0
    const origin = await listen(createServer(toNode(() => new Response(new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced++ < 64) controller.enqueue(chunk)
        else controller.close()
      },
    })))))
    const res = await fetch(origin)
    const total = (await res.arrayBuffer()).byteLength
    expect(total).toBe(64 * 64 * 1024)
  })
})

describe('toFastify()', () => {
  it('runs a Fetch handler as a Fastify route, with the body Fastify parsed', async () => {
    const app = Fastify()
    app.post('/f', toFastify(echo))
    app.get('/f', toFastify(echo))
    await app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const { port } = app.server.address() as { port: number }
      const origin = `http://127.0.0.1:${port}`
      const posted = await fetch(`${origin}/f`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"b":2}' })
      expect(posted.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
      expect(JSON.parse((await posted.json()).body)).toEqual({ b: 2 })
      expect((await (await fetch(`${origin}/f`)).json()).method).toBe('GET')
    } finally {
      await app.close()
    }
  })
})

