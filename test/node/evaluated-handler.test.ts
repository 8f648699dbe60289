import { createServer } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configure, createClient, http } from 'flagstage'
import type { Client, Context } from 'flagstage'
import { evaluatedHandler, flagsMiddleware } from 'flagstage/node'
import { closeAll, config, eventually, listen, SECRET_EMAILS } from './helpers.ts'

const clients: Client[] = []
afterEach(async () => {
  await closeAll()
  for (const c of clients.splice(0)) c.close()
  vi.restoreAllMocks()
})

const contextOf = (req: IncomingMessage): Context => ({
  userId: String(req.headers['x-user'] ?? 'anon'),
  email: req.headers['x-email'],
  country: req.headers['x-country'],
})

/** A server with a client whose config can be replaced, serving evaluatedHandler() on every path. */
const serve = async (): Promise<{ origin: string; statuses: number[]; push: (doc: unknown) => void }> => {
  let emit: (doc: unknown) => void = () => {}
  const flags = createClient({ source: { start: (e) => ((emit = e), () => {}) } })
  clients.push(flags)
  emit(config('r1'))
  const handler = evaluatedHandler({ client: flags, context: contextOf })
  const statuses: number[] = []
  const origin = await listen(createServer((req, res) => {
    res.on('finish', () => statuses.push(res.statusCode))
    handler(req, res)
  }))
  return { origin, statuses, push: (doc) => emit(doc) }
}

describe('evaluatedHandler()', () => {
  it('answers the evaluated flags of the requesting context as JSON', async () => {
    const { origin } = await serve()
    const res = await fetch(origin, { headers: { 'x-email': SECRET_EMAILS[0]!, 'x-country': 'DE' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    expect(res.headers.get('vary')).toBe('Cookie, Authorization')
    expect(await res.json()).toEqual({
      evaluated: true,
      revision: 'r1',
      flags: {
        'new-home': { variant: 'on', value: true, enabled: true },
        'checkout-button': { variant: 'treatment', value: 'green', enabled: true },
        'is-even': { variant: 'off', value: false, enabled: false },
      },
    })
  })

  it('never sends rules, segments or the e-mails they list, whoever asks', async () => {
    const { origin } = await serve()
    for (const email of [...SECRET_EMAILS, 'someone@else.example', undefined]) {
      const body = await (await fetch(origin, { headers: email ? { 'x-email': email } : {} })).text()
      for (const secret of SECRET_EMAILS) expect(body).not.toContain(secret)
      for (const word of ['rules', 'segment', 'beta', 'email', '"if"', 'serve', 'plan', 'pro', 'country', 'parity']) {
        expect(body).not.toContain(word)
      }
      expect(Object.keys(JSON.parse(body))).toEqual(['evaluated', 'revision', 'flags'])
    }
  })

  it('gives a strong ETag per context, 304 on If-None-Match, and a new ETag when the config changes', async () => {
    const { origin, push } = await serve()
    const de = { 'x-country': 'DE' }
    const first = await fetch(origin, { headers: de })
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/)
    // Same context, same config: same ETag, 304 without a body.
    const again = await fetch(origin, { headers: { ...de, 'x-user': 'other-user-same-flags', 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    // Lists, weak validators and * match too (weak comparison, RFC 9110).
    for (const header of [`"x", ${etag}`, `W/${etag}`, '*']) {
      expect((await fetch(origin, { headers: { ...de, 'if-none-match': header } })).status).toBe(304)
    }
    // Another context gets other flags, so another ETag: the old one does not match.
    const fr = await fetch(origin, { headers: { 'x-country': 'FR', 'if-none-match': etag } })
    expect(fr.status).toBe(200)
    expect(fr.headers.get('etag')).not.toBe(etag)
    // A new config (even with identical evaluations but a new revision) changes the ETag.
    push(config('r2'))
    const changed = await fetch(origin, { headers: { ...de, 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect((await changed.json()).revision).toBe('r2')
  })

  it('answers HEAD with headers only and other methods with 405', async () => {
    const { origin } = await serve()
    const head = await fetch(origin, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
    expect(head.headers.get('etag')).toBeTruthy()
    const post = await fetch(origin, { method: 'POST', body: '{}' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('takes a custom Vary, or none', async () => {
    const client = createClient({ bootstrap: config() })
    clients.push(client)
    const custom = await listen(createServer(evaluatedHandler({ client, context: () => ({}), vary: 'X-Session' })))
    expect((await fetch(custom)).headers.get('vary')).toBe('X-Session')
    const none = await listen(createServer(evaluatedHandler({ client, context: () => ({}), vary: false })))
    expect((await fetch(none)).headers.get('vary')).toBeNull()
  })

  it('is consumed by http() pointed at it: values for the server-side context, then 304 polls', async () => {
    const { origin, push, statuses } = await serve()
    const browser = createClient({
      source: http(`${origin}/flags/evaluated`, { pollMs: 30, jitter: 0, headers: { 'x-country': 'DE', 'x-email': SECRET_EMAILS[1]! } }),
    })
    clients.push(browser)
    const changes: string[][] = []
    browser.on('change', ({ keys }) => changes.push(keys))
    expect(await browser.ready({ timeoutMs: 2000 })).toMatchObject({ state: 'ready', revision: 'r1' })
    expect(browser.isEnabled('new-home')).toBe(true)
    expect(browser.variant('checkout-button')).toEqual({ name: 'treatment', value: 'green' })
    expect(browser.explain('new-home').reason).toBe('STATIC')
    // Polls revalidate with the ETag and get 304s; a config change arrives as a new snapshot.
    await eventually(() => expect(statuses.filter((s) => s === 304).length).toBeGreaterThanOrEqual(2))
    expect(browser.status().state).toBe('ready')
    push(config('r2', { 'new-home': { enabled: false } }))
    await eventually(() => expect(browser.status().revision).toBe('r2'))
    expect(browser.isEnabled('new-home')).toBe(false)
    expect(changes).toContainEqual(['new-home'])
  })

  it('evaluates with an empty context when the context function throws', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const client = createClient({ bootstrap: config() })
    clients.push(client)
    const origin = await listen(createServer(evaluatedHandler({ client, context: () => { throw new Error('no session') } })))
    const res = await fetch(origin)
    expect(res.status).toBe(200)
    expect((await res.json()).flags['checkout-button'].variant).toBe('control')
  })

  describe('without a context function (#9: never another context)', () => {
    it("serves the default client's flags for an empty context, not the context it was configured with", async () => {
      clients.push(configure({ bootstrap: config('admin-config'), context: { plan: 'pro', country: 'DE' } }))
      const origin = await listen(createServer(evaluatedHandler()))
      const body = await (await fetch(origin)).json()
      expect(body.revision).toBe('admin-config')
      expect(body.flags['new-home'].enabled).toBe(false)
      expect(body.flags['checkout-button'].variant).toBe('control')
    })

    it('serves the given client (not the default one) for an empty context', async () => {
      clients.push(configure({ bootstrap: config('default'), context: { plan: 'pro' } }))
      const given = createClient({ bootstrap: config('given'), context: { plan: 'pro' } })
      clients.push(given)
      const origin = await listen(createServer(evaluatedHandler({ client: given })))
      const body = await (await fetch(origin)).json()
      expect(body.revision).toBe('given')
      expect(body.flags['new-home'].enabled).toBe(false)
    })

    it("serves the request's context from flagsMiddleware, with the handler's client when it names one", async () => {
      const a = createClient({ bootstrap: config('a') })
      const b = createClient({ bootstrap: config('b', { 'checkout-button': { enabled: false, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' } }) })
      clients.push(a, b)
      const middleware = flagsMiddleware({ client: a, context: (req) => ({ plan: String(req.headers['x-plan'] ?? ''), country: String(req.headers['x-country'] ?? '') }) })
      const same = evaluatedHandler({ client: a })
      const other = evaluatedHandler({ client: b })
      const origin = await listen(createServer((req, res) => middleware(req, res, () => (req.url === '/b' ? other : same)(req, res))))
      const headers = { 'x-plan': 'pro', 'x-country': 'DE' }
      const fromA = await (await fetch(`${origin}/a`, { headers })).json()
      expect(fromA).toMatchObject({ revision: 'a', flags: { 'new-home': { enabled: true }, 'checkout-button': { variant: 'treatment' } } })
      const fromB = await (await fetch(`${origin}/b`, { headers })).json()
      expect(fromB).toMatchObject({ revision: 'b', flags: { 'new-home': { enabled: true }, 'checkout-button': { variant: 'control' } } })
    })
  })
})
