import { createServer } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { setImmediate as immediate } from 'node:timers/promises'
import express from 'express'
import type { Request } from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configure, createClient } from 'flagstage'
import type { Client } from 'flagstage'
import { currentContext, evaluatedHandler, flagsMiddleware, flagsOf, isEnabled, value, withContext } from 'flagstage/node'
import { closeAll, config, listen, postLate, sleep } from './helpers.ts'

const clients: Client[] = []
const client = (): Client => {
  const c = createClient({ bootstrap: config() })
  clients.push(c)
  return c
}
afterEach(async () => {
  await closeAll()
  for (const c of clients.splice(0)) c.close()
  vi.restoreAllMocks()
})

const userOf = (req: IncomingMessage): { userId?: string; plan?: string; country?: string } => ({
  userId: req.headers['x-user'] as string,
  plan: req.headers['x-plan'] as string,
  country: req.headers['x-country'] as string,
})

/** Deep in the "app": no request or context passed down. */
const render = async (): Promise<Record<string, unknown>> => {
  await sleep(Math.random() * 10)
  await immediate()
  return { user: currentContext()?.userId ?? null, home: isEnabled('new-home'), button: value('checkout-button', 'none') }
}

const get = async (origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(origin + path, { headers })
  return { status: res.status, body: await res.json() }
}

describe('flagsMiddleware with node:http', () => {
  it('sets req.flags and runs the handler inside the request\'s context', async () => {
    const flags = client()
    const forContext = vi.spyOn(flags, 'forContext')
    const middleware = flagsMiddleware({ client: flags, context: userOf })
    const origin = await listen(createServer(middleware.wrap(async (req, res) => {
      const body = { viaReq: req.flags.isEnabled('new-home'), ...(await render()) }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    })))
    expect((await get(origin, '/', { 'x-user': 'u1', 'x-plan': 'pro', 'x-country': 'DE' })).body)
      .toEqual({ viaReq: true, user: 'u1', home: true, button: 'green' })
    expect((await get(origin, '/', { 'x-user': 'u2', 'x-plan': 'free' })).body)
      .toEqual({ viaReq: false, user: 'u2', home: false, button: 'blue' })
    expect(forContext).toHaveBeenCalledTimes(2)
  })

  it('works as (req, res, next) with a plain server', async () => {
    const middleware = flagsMiddleware({ client: client(), context: userOf })
    const origin = await listen(createServer((req, res) => middleware(req, res, () => res.end(String(isEnabled('new-home'))))))
    expect(await (await fetch(origin, { headers: { 'x-plan': 'pro' } })).text()).toBe('true')
  })

  it('serves 100 concurrent requests from different users their own flags', async () => {
    const middleware = flagsMiddleware({ client: client(), context: userOf })
    const origin = await listen(createServer(middleware.wrap(async (_req, res) => res.end(JSON.stringify(await render())))))
    const results = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
      const headers = { 'x-user': `u${i}`, 'x-plan': i % 2 ? 'pro' : 'free', 'x-country': i % 3 ? 'FR' : 'DE' }
      return [i, (await get(origin, '/', headers)).body] as const
    }))
    for (const [i, body] of results) expect(body).toEqual({ user: `u${i}`, home: i % 2 === 1, button: i % 3 ? 'blue' : 'green' })
  })

  it('accepts an async context function', async () => {
    const middleware = flagsMiddleware({ client: client(), context: async (req) => (await sleep(5), userOf(req)) })
    const origin = await listen(createServer(middleware.wrap(async (_req, res) => res.end(JSON.stringify(await render())))))
    expect((await get(origin, '/', { 'x-user': 'u7', 'x-plan': 'pro' })).body).toMatchObject({ user: 'u7', home: true })
  })

  it('evaluates with an empty context when the context function throws, and keeps serving', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const middleware = flagsMiddleware({
      client: client(),
      context: (req) => {
        if (!req.headers['x-user']) throw new Error('no user')
        return userOf(req)
      },
    })
    const origin = await listen(createServer(middleware.wrap(async (_req, res) => res.end(JSON.stringify(await render())))))
    expect((await get(origin, '/')).body).toEqual({ user: null, home: false, button: 'blue' })
    expect((await get(origin, '/', { 'x-user': 'u1', 'x-plan': 'pro' })).body).toMatchObject({ user: 'u1', home: true })
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('uses the default client from configure() when no client is given', async () => {
    const middleware = flagsMiddleware({ context: userOf })
    configure({ bootstrap: config('default') })
    const origin = await listen(createServer(middleware.wrap((req, res) => {
      res.end(JSON.stringify({ rev: req.flags.explain('new-home').revision, home: isEnabled('new-home') }))
    })))
    expect((await get(origin, '/', { 'x-plan': 'pro' })).body).toEqual({ rev: 'default', home: true })
  })
})

describe('flagsMiddleware with Express', () => {
  const app = (flags: Client): express.Express => {
    const app = express()
    app.use(express.json())
    app.use(flagsMiddleware({ client: flags, context: (req: Request) => ({ ...userOf(req), country: req.body?.country }) }))
    app.get('/home', async (req, res) => {
      res.json({ viaReq: req.flags.isEnabled('new-home'), ...(await render()) })
    })
    app.post('/checkout', async (req, res) => {
      res.json({ ...(await render()), items: req.body.items })
    })
    const router = express.Router()
    router.get('/deep', async (_req, res, next) => {
      await sleep(3)
      res.locals.before = currentContext()?.userId
      next()
    }, async (_req, res) => {
      res.json({ before: res.locals.before, narrowed: await withContext({ plan: 'pro' }, render), after: currentContext()?.userId })
    })
    app.use('/nested', router)
    app.get('/flags', evaluatedHandler())
    return app
  }

  it('sets req.flags and isEnabled() from AsyncLocalStorage across awaits', async () => {
    const origin = await listen(createServer(app(client())))
    expect((await get(origin, '/home', { 'x-user': 'u1', 'x-plan': 'pro' })).body)
      .toEqual({ viaReq: true, user: 'u1', home: true, button: 'blue' })
    expect((await get(origin, '/home', { 'x-user': 'u2' })).body).toEqual({ viaReq: false, user: 'u2', home: false, button: 'blue' })
  })

  it('keeps the context through a JSON body that arrives after the headers', async () => {
    const origin = await listen(createServer(app(client())))
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      postLate(origin, '/checkout', { 'x-user': `u${i}`, 'x-plan': i % 2 ? 'pro' : 'free' }, { country: i % 2 ? 'DE' : 'FR', items: i }, 20 + (i % 5) * 10)))
    responses.forEach((res, i) => {
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toEqual({ user: `u${i}`, home: i % 2 === 1, button: i % 2 ? 'green' : 'blue', items: i })
    })
  })

  it('keeps the context through routers and next(), and lets a handler narrow it with withContext', async () => {
    const origin = await listen(createServer(app(client())))
    expect((await get(origin, '/nested/deep', { 'x-user': 'u3' })).body)
      .toEqual({ before: 'u3', narrowed: { user: null, home: true, button: 'blue' }, after: 'u3' })
  })

  it('serves the request\'s evaluated flags from evaluatedHandler() without a context option', async () => {
    const origin = await listen(createServer(app(client())))
    const { body } = await get(origin, '/flags', { 'x-plan': 'pro' })
    expect(body).toMatchObject({ evaluated: true, revision: 'r1', flags: { 'new-home': { variant: 'on', value: true, enabled: true } } })
  })

  it('gives flagsOf(req) the request\'s flags, and the current flags for a request it never saw', () => {
    const flags = client()
    const req = { flags: flags.forContext({ plan: 'pro' }) }
    expect(flagsOf(req).isEnabled('new-home')).toBe(true)
    withContext({ plan: 'pro' }, () => expect(flagsOf({}).isEnabled('new-home')).toBe(true), { client: flags })
  })
})
