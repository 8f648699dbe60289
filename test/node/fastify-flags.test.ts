import { AsyncLocalStorage } from 'node:async_hooks'
import { connect } from 'node:net'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from 'flagstage'
import type { Client, Context, Evaluator } from 'flagstage'
import { currentContext, fastifyFlags, isEnabled, value } from 'flagstage/node'
import { config, postLate, sleep } from './helpers.ts'

// What users add to type request.flags (fastifyFlags' JSDoc shows it).
declare module 'fastify' {
  interface FastifyRequest {
    flags: Evaluator
  }
}

const apps: FastifyInstance[] = []
const clients: Client[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
  for (const c of clients.splice(0)) c.close()
  vi.restoreAllMocks()
})

// Core's Context declares `userId?: string | number` (no `| undefined`), so with
// exactOptionalPropertyTypes an absent header is left out rather than set to undefined.
const contextOf = (req: FastifyRequest): Context => {
  const context: Context = { plan: req.headers['x-plan'] }
  if (typeof req.headers['x-user'] === 'string') context.userId = req.headers['x-user']
  return context
}

const start = async (setup: (app: FastifyInstance, flags: Client) => void): Promise<{ origin: string; flags: Client }> => {
  const flags = createClient({ bootstrap: config() })
  clients.push(flags)
  const app = Fastify()
  apps.push(app)
  setup(app, flags)
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  return { origin, flags }
}

const deep = async (): Promise<Record<string, unknown>> => {
  await sleep(Math.random() * 10)
  return { user: currentContext()?.userId ?? null, home: isEnabled('new-home') }
}

describe('fastifyFlags', () => {
  it('sets request.flags once per request and runs async handlers inside the request\'s context', async () => {
    const { origin, flags } = await start((app, flags) => {
      app.register(fastifyFlags({ client: flags, context: contextOf }))
      app.get('/', async (req) => ({ viaReq: req.flags.isEnabled('new-home'), ...(await deep()) }))
    })
    const forContext = vi.spyOn(flags, 'forContext')
    const get = async (headers: Record<string, string>): Promise<unknown> => (await fetch(origin, { headers })).json()
    expect(await get({ 'x-user': 'u1', 'x-plan': 'pro' })).toEqual({ viaReq: true, user: 'u1', home: true })
    expect(await get({ 'x-user': 'u2' })).toEqual({ viaReq: false, user: 'u2', home: false })
    expect(forContext).toHaveBeenCalledTimes(2)
  })

  it('keeps 100 concurrent requests apart', async () => {
    const { origin } = await start((app, flags) => {
      app.register(fastifyFlags({ client: flags, context: contextOf }))
      app.get('/', deep)
    })
    const bodies = await Promise.all(Array.from({ length: 100 }, async (_, i) =>
      (await fetch(origin, { headers: { 'x-user': `u${i}`, 'x-plan': i % 2 ? 'pro' : 'free' } })).json()))
    bodies.forEach((body, i) => expect(body).toEqual({ user: `u${i}`, home: i % 2 === 1 }))
  })

  it('keeps the context through body parsing when the body arrives after the headers, and in later hooks', async () => {
    const { origin } = await start((app, flags) => {
      app.register(fastifyFlags({ client: flags, context: contextOf }))
      app.addHook('preHandler', async (req) => {
        ;(req as unknown as { seenInHook: unknown }).seenInHook = currentContext()?.userId
      })
      app.post('/checkout', async (req) => ({
        ...(await deep()), hook: (req as unknown as { seenInHook: unknown }).seenInHook, body: req.body,
      }))
    })
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      postLate(origin, '/checkout', { 'x-user': `u${i}`, 'x-plan': i % 2 ? 'pro' : 'free' }, { n: i }, 20 + (i % 4) * 15)))
    responses.forEach((res, i) => {
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toEqual({ user: `u${i}`, home: i % 2 === 1, hook: `u${i}`, body: { n: i } })
    })
  })

  it('applies to routes of child plugins (not encapsulated) and takes an async context function', async () => {
    const { origin } = await start((app, flags) => {
      app.register(fastifyFlags({ client: flags, context: async (req: FastifyRequest) => (await sleep(2), contextOf(req)) }))
      app.register(async (child) => {
        child.get('/child', async () => ({ button: value('checkout-button', 'none'), ...(await deep()) }))
      }, { prefix: '/api' })
    })
    expect(await (await fetch(`${origin}/api/child`, { headers: { 'x-user': 'u9', 'x-plan': 'pro' } })).json())
      .toEqual({ button: 'blue', user: 'u9', home: true })
  })

  it('leaves nothing behind for the next request on a keep-alive connection', async () => {
    // enterWith() in onRequest would leave the previous request's store on the connection's
    // async resource, where the next request's earlier hooks read it; run() does not.
    const seenBefore: unknown[] = []
    const probe = new AsyncLocalStorage<unknown>()
    const { origin } = await start((app, flags) => {
      app.addHook('onRequest', (_req, _reply, done) => {
        seenBefore.push(currentContext()?.userId ?? null)
        probe.enterWith('probe') // an unrelated store on the same connection must not break ours
        done()
      })
      app.register(fastifyFlags({ client: flags, context: contextOf }))
      app.get('/', deep)
    })
    const { port } = new URL(origin)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1')
      let data = ''
      socket.setEncoding('utf8')
      socket.write('GET / HTTP/1.1\r\nhost: x\r\nx-user: first\r\n\r\n')
      setTimeout(() => socket.write('GET / HTTP/1.1\r\nhost: x\r\nx-user: second\r\nconnection: close\r\n\r\n'), 60)
      socket.on('data', (chunk: string) => (data += chunk))
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })
    expect(raw.match(/\{[^}]*\}/g)).toEqual(['{"user":"first","home":false}', '{"user":"second","home":false}'])
    expect(seenBefore).toEqual([null, null])
  })
})
