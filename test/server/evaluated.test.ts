import { afterEach, describe, expect, it, vi } from 'vitest'
import { configure, createClient, getDefaultClient } from 'flagstage'
import type { Client, Config } from 'flagstage'
import { evaluatedHandler, etagOf } from 'flagstage/server'
import { manualSource } from '../helpers/manual-source.ts'

const SECRET = 'alice.secret@corp.example'
const config = (revision = 'r1', extra: Config['flags'] = {}): Config => ({
  schemaVersion: 1,
  revision,
  segments: { staff: { attr: 'email', op: 'in', values: [SECRET] } },
  flags: {
    admin: { enabled: true, rules: [{ if: { attr: 'role', op: 'eq', value: 'admin' }, serve: 'on' }] },
    beta: { enabled: true, rules: [{ if: { segment: 'staff' }, serve: 'on' }] },
    button: { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control', rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'treatment' }] },
    ...extra,
  },
})

const clients: Client[] = []
const track = <C extends Client>(c: C): C => (clients.push(c), c)
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
  getDefaultClient()?.close()
  vi.restoreAllMocks()
})

const get = (headers: Record<string, string> = {}, method = 'GET'): Request => new Request('https://app.example/api/flags', { method, headers })
const fromHeaders = (request: Request) => ({
  userId: request.headers.get('x-user') ?? undefined,
  email: request.headers.get('x-email') ?? undefined,
  country: request.headers.get('x-country') ?? undefined,
})

describe('evaluatedHandler() (flagstage/server)', () => {
  // First in the file: the default client cannot be unset once configure() ran.
  it('serves an empty snapshot before configure(), and follows configure() afterwards', async () => {
    const handler = evaluatedHandler({ context: fromHeaders })
    expect(await (await handler(get())).json()).toEqual({ evaluated: true, flags: {} })
    configure({ bootstrap: config() })
    expect((await (await handler(get({ 'x-country': 'DE' }))).json()).flags.button.variant).toBe('treatment')
  })

  it('answers a Web Request with the evaluated flags of its context, and nothing of the rules', async () => {
    const client = track(createClient({ bootstrap: config() }))
    const handler = evaluatedHandler({ client, context: fromHeaders })
    const res = await handler(get({ 'x-email': SECRET, 'x-country': 'DE' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    expect(res.headers.get('vary')).toBe('Cookie, Authorization')
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({
      evaluated: true,
      revision: 'r1',
      flags: {
        admin: { variant: 'off', value: false, enabled: false },
        beta: { variant: 'on', value: true, enabled: true },
        button: { variant: 'treatment', value: 'green', enabled: true },
      },
    })
    expect(res.headers.get('etag')).toBe(etagOf(text))
    for (const word of [SECRET, 'segment', 'staff', 'rules', 'role', 'email', 'country']) expect(text).not.toContain(word)
  })

  it('304 on If-None-Match, a new ETag for another context or config', async () => {
    const m = manualSource()
    const client = track(createClient({ source: m.source }))
    m.push(config('r1'))
    const handler = evaluatedHandler({ client, context: fromHeaders })
    const etag = (await handler(get({ 'x-country': 'DE' }))).headers.get('etag')!
    const again = await handler(get({ 'x-country': 'DE', 'x-user': 'someone-else', 'if-none-match': etag }))
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect(await again.text()).toBe('')
    expect((await handler(get({ 'x-country': 'FR', 'if-none-match': etag }))).status).toBe(200)
    m.push(config('r2'))
    const changed = await handler(get({ 'x-country': 'DE', 'if-none-match': etag }))
    expect(changed.status).toBe(200)
    expect((await changed.json()).revision).toBe('r2')
  })

  it('without a context function serves the empty context of the given client, never its own context (#9)', async () => {
    // The admin configured the default client with their own context; requesters must not get admin flags.
    const admin = configure({ bootstrap: config(), context: { role: 'admin' } })
    expect(admin.isEnabled('admin')).toBe(true)
    const other = track(createClient({ bootstrap: config('other', { only: { enabled: true, rules: [{ serve: 'on' }] } }), context: { role: 'admin' } }))
    const given = await (await evaluatedHandler({ client: other })(get())).json()
    expect(given.revision).toBe('other')
    expect(given.flags.admin.enabled).toBe(false)
    expect(given.flags.only.enabled).toBe(true)
    const byDefault = await (await evaluatedHandler()(get())).json()
    expect(byDefault.revision).toBe('r1')
    expect(byDefault.flags.admin.enabled).toBe(false)
  })

  it('answers HEAD with headers only and other methods with 405', async () => {
    const handler = evaluatedHandler({ client: track(createClient({ bootstrap: config() })) })
    const head = await handler(get({}, 'HEAD'))
    expect(head.status).toBe(200)
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
    expect(await head.text()).toBe('')
    const post = await handler(new Request('https://app.example/', { method: 'POST', body: '{}' }))
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('takes a custom Vary or none, a Cache-Control, and CORS with preflights', async () => {
    const client = track(createClient({ bootstrap: config() }))
    expect((await evaluatedHandler({ client, vary: 'X-Session' })(get())).headers.get('vary')).toBe('X-Session')
    expect((await evaluatedHandler({ client, vary: false })(get())).headers.get('vary')).toBeNull()
    expect((await evaluatedHandler({ client, cacheControl: 'private, max-age=5' })(get())).headers.get('cache-control')).toBe('private, max-age=5')
    const cors = evaluatedHandler({ client, cors: { origin: ['https://app.example'], credentials: true } })
    const pre = await cors(get({ origin: 'https://app.example', 'access-control-request-method': 'GET' }, 'OPTIONS'))
    expect(pre.status).toBe(204)
    const res = await cors(get({ origin: 'https://app.example' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag')
    expect(res.headers.get('vary')).toBe('Origin, Cookie, Authorization')
    const etag = res.headers.get('etag')!
    const cached = await cors(get({ origin: 'https://app.example', 'if-none-match': etag }))
    expect(cached.status).toBe(304)
    expect(cached.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect((await cors(get({ origin: 'https://app.example' }, 'DELETE'))).headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('serves the anonymous answer when the context function throws or rejects, and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const client = track(createClient({ bootstrap: config() }))
    const sync = evaluatedHandler({ client, context: () => { throw new Error('no session') } })
    const async = evaluatedHandler({ client, context: async () => { throw new Error('db down') } })
    for (const h of [sync, sync, async]) {
      const res = await h(get({ 'x-country': 'DE' }))
      expect(res.status).toBe(200)
      expect((await res.json()).flags.button.variant).toBe('control')
    }
    expect(warn).toHaveBeenCalledTimes(2)
  })

  it('takes an async context function', async () => {
    const client = track(createClient({ bootstrap: config() }))
    const handler = evaluatedHandler({ client, context: async (r) => ({ country: await Promise.resolve(r.headers.get('x-country')) }) })
    expect((await (await handler(get({ 'x-country': 'DE' }))).json()).flags.button.variant).toBe('treatment')
  })

  it('waits for the first config of a cold client, up to readyTimeoutMs', async () => {
    const m = manualSource()
    const client = track(createClient({ source: m.source }))
    const pending = evaluatedHandler({ client })(get())
    m.push(config('late'))
    expect((await (await pending).json()).revision).toBe('late')
    const never = track(createClient({ source: manualSource().source }))
    expect(await (await evaluatedHandler({ client: never, readyTimeoutMs: 10 })(get())).json()).toEqual({ evaluated: true, flags: {} })
  })

  it('answers from one config even when a reload lands while the context is resolved', async () => {
    const m = manualSource()
    const client = track(createClient({ source: m.source }))
    m.push(config('r1'))
    let release: () => void = () => {}
    const handler = evaluatedHandler({ client, context: () => new Promise((resolve) => { release = () => resolve({ country: 'DE' }) }) })
    const pending = handler(get())
    m.push(config('r2'))
    release()
    // The evaluator is made after the context resolved: the config in force then (r2), all of it.
    const body = await (await pending).json()
    expect(body.revision).toBe('r2')
    expect(body.flags.button.variant).toBe('treatment')
  })
})
