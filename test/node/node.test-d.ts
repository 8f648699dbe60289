import type { IncomingMessage, ServerResponse } from 'node:http'
import express from 'express'
import type { Request, RequestHandler } from 'express'
import Fastify from 'fastify'
import { describe, expectTypeOf, it } from 'vitest'
import { value as coreValue } from 'flagstage'
import type { Cache, CacheEntry, Evaluator, Source } from 'flagstage'
import { evaluatedHandler, fastifyFlags, file, fileCache, flagsMiddleware, flagsOf, value, withContext } from 'flagstage/node'

describe('flagstage/node types', () => {
  it('types req.flags on node:http and Express requests', () => {
    expectTypeOf<IncomingMessage['flags']>().toEqualTypeOf<Evaluator>()
    expectTypeOf<Request['flags']>().toEqualTypeOf<Evaluator>()
    expectTypeOf(flagsOf).returns.toEqualTypeOf<Evaluator>()
  })

  it('infers the request type of the context function and fits Express and node:http', () => {
    const middleware = flagsMiddleware({ context: (req: Request) => ({ userId: req.ip ?? 'anon' }) })
    expectTypeOf(middleware).toExtend<RequestHandler>()
    express().use(middleware)
    express().get('/flags', evaluatedHandler({ context: (req: Request) => ({ userId: String(req.params['id']) }) }))
    const plain = flagsMiddleware({ context: (req) => ({ userId: String(req.headers['x-user']) }) })
    expectTypeOf(plain.wrap(() => {})).toEqualTypeOf<(req: IncomingMessage, res: ServerResponse) => void>()
    // @ts-expect-error the context function is required
    flagsMiddleware({})
  })

  it('registers on a real Fastify instance', () => {
    const app = Fastify()
    app.register(fastifyFlags({ context: (req) => ({ userId: String(req.headers['x-user']) }) }))
    app.register(fastifyFlags({ context: async (req) => ({ ip: req.raw.socket.remoteAddress }) }))
  })

  it('reads like core: value() is typed by its fallback, withContext returns the callback\'s type', () => {
    expectTypeOf(value).toEqualTypeOf(coreValue)
    expectTypeOf(value('limit', 10)).toEqualTypeOf<number>()
    expectTypeOf(withContext({}, async () => 'x')).toEqualTypeOf<Promise<string>>()
  })

  it('makes a Source and a Cache whose load is synchronous', () => {
    expectTypeOf(file('flags.json', { watch: true })).toEqualTypeOf<Source>()
    expectTypeOf(fileCache('cache.json')).toExtend<Cache>()
    expectTypeOf(fileCache('cache.json').load()).toEqualTypeOf<CacheEntry | undefined>()
    // @ts-expect-error unknown option
    file('flags.json', { watchh: true })
  })
})
