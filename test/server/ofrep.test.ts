import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OFREPProvider } from '@openfeature/ofrep-provider'
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider'
import { OpenFeature as ServerOpenFeature } from '@openfeature/server-sdk'
import { OpenFeature as WebOpenFeature, type Provider as WebProvider } from '@openfeature/web-sdk'
import express from 'express'
import fc from 'fast-check'
import { createClient, staticSource, type Client } from 'flagstage'
import { toNode } from 'flagstage/node'
import { ofrepHandler, type OfrepHandlerOptions } from 'flagstage/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EVENTUALLY } from '../helpers/timeouts.ts'
import { manualSource } from '../helpers/manual-source.ts'
import { config, edited } from '../openfeature/fixtures.ts'

// OFREPWebProvider declares `hooks?: Hook[]`, which exactOptionalPropertyTypes does not accept as the SDK's Provider.
const webOfrep = (options: ConstructorParameters<typeof OFREPWebProvider>[0]): WebProvider => new OFREPWebProvider(options) as unknown as WebProvider

// A real node:http server on 127.0.0.1:0 running the Fetch handler through flagstage/node's toNode.
const servers: Server[] = []
const serve = async (handler: (request: Request) => Promise<Response>): Promise<string> => {
  const server = createServer(toNode(handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

let client: Client
beforeEach(async () => {
  client = createClient({ source: staticSource(config) })
  await client.ready()
})
afterEach(async () => {
  client.close()
  await ServerOpenFeature.close()
  await WebOpenFeature.close()
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

const start = (options: Partial<OfrepHandlerOptions> = {}) => serve(ofrepHandler({ client, ...options }))
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })

const keys = Array.from({ length: 1000 }, (_, i) => `key-${i}-${(i * 2654435761) % 4294967296}`)

describe('ofrepHandler', () => {
  it('gives @openfeature/ofrep-provider the same answers as local evaluation for 1,000 targeting keys', async () => {
    const url = await start()
    await ServerOpenFeature.setProviderAndWait('ofrep', new OFREPProvider({ baseUrl: url }))
    const of = ServerOpenFeature.getClient('ofrep')
    const check = async (targetingKey: string) => {
      const local = client.forContext({ userId: targetingKey, targetingKey })
      const color = await of.getStringDetails('color', 'none', { targetingKey })
      expect(color).toMatchObject({ value: local.explain('color').value, variant: local.explain('color').variant, reason: 'SPLIT' })
      expect(color.flagMetadata).toEqual({ revision: 'r1', ruleIndex: 0, bucket: local.explain('color').bucket })
    }
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map(check))
    for (const targetingKey of keys.slice(0, 20)) {
      const rollout = await of.getBooleanDetails('rollout', false, { targetingKey })
      expect(rollout).toMatchObject({ value: client.forContext({ userId: targetingKey }).isEnabled('rollout') })
    }
    expect(await of.getNumberValue('limit', 0, { targetingKey: 'k', plan: 'pro' })).toBe(100.5)
    expect(await of.getObjectValue('theme', {}, { targetingKey: 'k', country: 'NL' })).toEqual([1, 2, 3])
    expect(await of.getBooleanDetails('kill', true)).toMatchObject({ value: false, reason: 'DISABLED', variant: 'off' })
    const missing = await of.getBooleanDetails('nope', true, { targetingKey: 'k' })
    expect(missing).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
    expect(await of.getNumberDetails('color', 1, { targetingKey: 'k' })).toMatchObject({ value: 1, errorCode: 'TYPE_MISMATCH' })
  }, 180_000)

  it('gives @openfeature/ofrep-web-provider the same answers as local evaluation for 1,000 targeting keys', async () => {
    const url = await start()
    await WebOpenFeature.setContext('ofrep-web', { targetingKey: keys[0]! })
    await WebOpenFeature.setProviderAndWait('ofrep-web', webOfrep({ baseUrl: url, cacheMode: 'disabled', changeDetection: 'none' }))
    const of = WebOpenFeature.getClient('ofrep-web')
    for (const targetingKey of keys) {
      await WebOpenFeature.setContext('ofrep-web', { targetingKey, email: 'x@example.com' })
      const local = client.forContext({ userId: targetingKey, email: 'x@example.com' })
      expect(of.getStringDetails('color', 'none')).toMatchObject({ value: local.explain('color').value, variant: local.explain('color').variant, reason: 'SPLIT' })
      expect(of.getBooleanDetails('rollout', false)).toMatchObject({ value: local.isEnabled('rollout'), reason: local.explain('rollout').reason })
      expect(of.getBooleanDetails('beta', false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' })
      expect(of.getNumberValue('limit', 0)).toBe(10)
      expect(of.getObjectValue('theme', {})).toEqual({ mode: 'dark', contrast: 2 })
    }
    expect(of.getBooleanDetails('nope', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
  }, 180_000)

  it('answers the bulk endpoint with an ETag and 304 for the same context and config', async () => {
    const manual = manualSource()
    client.close()
    client = createClient({ source: manual.source })
    manual.push(config)
    const url = await start()
    const bulk = `${url}/ofrep/v1/evaluate/flags`
    const first = await post(bulk, { context: { targetingKey: 'u-1' } })
    expect(first.status).toBe(200)
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^"[^"]+"$/)
    const body = await first.json()
    expect(body.metadata).toEqual({ revision: 'r1' })
    expect(body.flags.map((f: { key: string }) => f.key).sort()).toEqual(Object.keys(config.flags).sort())
    expect(body.flags.find((f: { key: string }) => f.key === 'static-on')).toEqual({ key: 'static-on', value: true, variant: 'on', reason: 'STATIC', metadata: { revision: 'r1', ruleIndex: 0 } })

    const again = await post(bulk, { context: { targetingKey: 'u-1' } }, { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect((await post(bulk, { context: { targetingKey: 'u-1' } }, { 'If-None-Match': `W/${etag}` })).status).toBe(304)
    // Another user, or a new config: a new body.
    expect((await post(bulk, { context: { targetingKey: 'u-2', email: 'a@example.com' } }, { 'If-None-Match': etag })).status).toBe(200)
    manual.push(edited)
    const changed = await post(bulk, { context: { targetingKey: 'u-1' } }, { 'If-None-Match': etag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('ETag')).not.toBe(etag)
  })

  it('lets the OFREP web provider revalidate with If-None-Match (304) and pick up a new config', async () => {
    const manual = manualSource()
    client.close()
    client = createClient({ source: manual.source })
    manual.push(config)
    const statuses: number[] = []
    const handler = ofrepHandler({ client })
    const url = await serve(async (request: Request) => {
      const response = await handler(request)
      statuses.push(response.status)
      return response
    })
    await WebOpenFeature.setContext('poll', { targetingKey: 'u-1', email: 'a@other.org' })
    const provider = webOfrep({ baseUrl: url, cacheMode: 'disabled', changeDetection: 'polling', pollInterval: 20 })
    await WebOpenFeature.setProviderAndWait('poll', provider)
    const of = WebOpenFeature.getClient('poll')
    expect(of.getBooleanValue('beta', true)).toBe(false)
    await expect.poll(() => statuses.filter((s) => s === 304).length, { timeout: 10_000 }).toBeGreaterThan(1)
    manual.push(edited)
    await expect.poll(() => of.getBooleanValue('beta', false), { timeout: 10_000 }).toBe(true)
    expect(statuses.every((s) => s === 200 || s === 304)).toBe(true)
  })

  it('answers bad bodies with a clear 400 (PARSE_ERROR / INVALID_CONTEXT), never a 500', { timeout: 120_000 }, async () => {
    const url = await start({ maxBodyBytes: 1024 })
    const single = `${url}/ofrep/v1/evaluate/flags/static-on`
    const bulk = `${url}/ofrep/v1/evaluate/flags`
    const cases: [string, string][] = [
      ['{', 'PARSE_ERROR'], ['not json', 'PARSE_ERROR'], ['[]', 'PARSE_ERROR'], ['null', 'PARSE_ERROR'], ['42', 'PARSE_ERROR'],
      ['"context"', 'PARSE_ERROR'], [JSON.stringify({ context: 'u-1' }), 'INVALID_CONTEXT'], [JSON.stringify({ context: null }), 'INVALID_CONTEXT'],
      [JSON.stringify({ context: [1] }), 'INVALID_CONTEXT'], [JSON.stringify({ context: { targetingKey: 42 } }), 'INVALID_CONTEXT'],
      [JSON.stringify({ context: { pad: 'x'.repeat(2000) } }), 'PARSE_ERROR'],
    ]
    for (const [body, code] of cases) {
      const one = await post(single, body)
      expect(one.status, body).toBe(400)
      const oneBody = await one.json()
      expect(oneBody).toMatchObject({ key: 'static-on', errorCode: code })
      expect(oneBody.errorDetails.length).toBeGreaterThan(10)
      const many = await post(bulk, body)
      expect(many.status, body).toBe(400)
      expect(await many.json()).toMatchObject({ errorCode: code })
    }
    // An empty body or no context is an empty context.
    expect((await post(single, '')).status).toBe(200)
    expect((await post(single, '{}')).status).toBe(200)
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ context: v }))), async (body) => {
      const response = await post(single, body)
      expect([200, 400]).toContain(response.status)
      expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    }), { numRuns: 150 })
  })

  it('answers 404 FLAG_NOT_FOUND, 405 for other methods and 404 off its routes', async () => {
    const url = await start({ prefix: '/api/' })
    const missing = await post(`${url}/api/ofrep/v1/evaluate/flags/nope`, {})
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' })
    const spaced = await post(`${url}/api/ofrep/v1/evaluate/flags/static%2Don`, {})
    expect(await spaced.json()).toMatchObject({ key: 'static-on', value: true })
    expect((await fetch(`${url}/api/ofrep/v1/evaluate/flags`)).status).toBe(405)
    expect((await post(`${url}/ofrep/v1/evaluate/flags`, {})).status).toBe(404)
    expect((await post(`${url}/api/ofrep/v1/evaluate/flagsx`, {})).status).toBe(404)
  })

  it('asks authorize(request): 401 and 403 before reading the body', async () => {
    const url = await start({
      authorize: (request) => {
        const auth = request.headers.get('Authorization')
        return auth === 'Bearer good' ? true : auth ? 403 : false
      },
    })
    const single = `${url}/ofrep/v1/evaluate/flags/static-on`
    expect((await post(single, {})).status).toBe(401)
    expect((await post(single, {}, { Authorization: 'Bearer bad' })).status).toBe(403)
    expect((await post(single, '{', { Authorization: 'Bearer bad' })).status).toBe(403)
    expect((await post(single, {}, { Authorization: 'Bearer good' })).status).toBe(200)
    await ServerOpenFeature.setProviderAndWait('auth', new OFREPProvider({ baseUrl: url, headers: [['Authorization', 'Bearer good']] }))
    expect(await ServerOpenFeature.getClient('auth').getBooleanValue('static-on', false)).toBe(true)
  })

  it('lets context(request) add server-side attributes that override the client\'s', async () => {
    const url = await start({ context: (request) => ({ plan: request.headers.get('X-Plan') ?? 'free' }) })
    const limit = `${url}/ofrep/v1/evaluate/flags/limit`
    expect(await (await post(limit, { context: { targetingKey: 'u', plan: 'pro' } })).json()).toMatchObject({ value: 10 })
    expect(await (await post(limit, { context: { targetingKey: 'u' } }, { 'X-Plan': 'pro' })).json()).toMatchObject({ value: 100.5 })
  })

  it('answers a CORS preflight and adds CORS headers for allowed origins only', async () => {
    const url = await start({ cors: { origin: ['https://app.example.com'], credentials: true } })
    const bulk = `${url}/ofrep/v1/evaluate/flags`
    const pre = await fetch(bulk, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,if-none-match' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example.com')
    expect(pre.headers.get('Access-Control-Allow-Methods')).toContain('POST')
    expect(pre.headers.get('Access-Control-Allow-Headers')).toContain('If-None-Match')
    expect(pre.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    const actual = await post(bulk, {}, { Origin: 'https://app.example.com' })
    expect(actual.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example.com')
    expect(actual.headers.get('Access-Control-Expose-Headers')).toContain('ETag')
    expect(actual.headers.get('Vary')).toContain('Origin')
    const evil = await fetch(bulk, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } })
    expect(evil.status).toBe(403)
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect((await post(bulk, {}, { Origin: 'https://evil.example' })).headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('advertises eventStreams when a stream URL is configured', async () => {
    const url = await start({ eventStream: { url: 'https://flags.example.com/ofrep/stream', inactivityDelaySec: 120 } })
    const body = await (await post(`${url}/ofrep/v1/evaluate/flags`, {})).json()
    expect(body.eventStreams).toEqual([{ type: 'sse', url: 'https://flags.example.com/ofrep/stream', inactivityDelaySec: 120 }])
    const plain = await start()
    expect((await (await post(`${plain}/ofrep/v1/evaluate/flags`, {})).json()).eventStreams).toBeUndefined()
  })

  it('runs in Express through toNode, after express.json() too', async () => {
    const app = express()
    app.use(express.json())
    app.use('/flags', toNode(ofrepHandler({ client, prefix: '/flags' })))
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    servers.push(server)
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/flags`
    const single = await post(`${url}/ofrep/v1/evaluate/flags/limit`, { context: { targetingKey: 'u', plan: 'pro' } })
    expect(await single.json()).toMatchObject({ key: 'limit', value: 100.5, variant: 'high', reason: 'TARGETING_MATCH' })
    const bulk = await post(`${url}/ofrep/v1/evaluate/flags`, { context: { targetingKey: 'u' } })
    const etag = bulk.headers.get('ETag')!
    expect((await post(`${url}/ofrep/v1/evaluate/flags`, { context: { targetingKey: 'u' } }, { 'If-None-Match': etag })).status).toBe(304)
  })

  it('never sends rules or segments', async () => {
    const url = await start()
    const text = await (await post(`${url}/ofrep/v1/evaluate/flags`, { context: { targetingKey: 'u', email: 'a@example.com' } })).text()
    for (const secret of ['"rules"', 'segment', 'endsWith', 'example.com', '"rollout":', '"split":', 'offVariant', '"if"']) expect(text, secret).not.toContain(secret)
  })

  it('waits up to readyTimeoutMs for a first config on a cold start', async () => {
    const manual = manualSource()
    client.close()
    client = createClient({ source: manual.source })
    const url = await start({ readyTimeoutMs: 60_000 })
    const pending = post(`${url}/ofrep/v1/evaluate/flags/static-on`, {})
    await expect.poll(() => manual.starts, EVENTUALLY).toBe(1)
    setTimeout(() => manual.push(config), 50)
    const response = await pending
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ value: true })
  })

  it('answers 500 PROVIDER_NOT_READY with no config, and 500 GENERAL when a hook throws', async () => {
    client.close()
    client = createClient({ source: manualSource().source })
    const url = await start({ readyTimeoutMs: 10 })
    const single = await post(`${url}/ofrep/v1/evaluate/flags/static-on`, {})
    expect(single.status).toBe(500)
    expect(await single.json()).toMatchObject({ key: 'static-on', errorCode: 'PROVIDER_NOT_READY' })
    expect(await (await post(`${url}/ofrep/v1/evaluate/flags`, {})).json()).toMatchObject({ errorCode: 'PROVIDER_NOT_READY' })
    const throwing = await start({ context: () => { throw new Error('session store down') } })
    const failed = await post(`${throwing}/ofrep/v1/evaluate/flags/static-on`, {})
    expect(failed.status).toBe(500)
    const failure = await failed.json()
    expect(failure).toMatchObject({ errorCode: 'GENERAL', errorDetails: expect.stringContaining('context') })
    expect(JSON.stringify(failure)).not.toContain('session store down') // internals stay in the server log
  })
})
