import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, formatOverrides, withOverrides, type Config } from 'flagstage'
import { evaluatedHandler, overrideEvaluator, readOverrideCookie } from 'flagstage/server'
import { toNode } from 'flagstage/node'

const config: Config = {
  schemaVersion: 1,
  flags: {
    'new-checkout': { enabled: true, rules: [{ serve: { rollout: 0 } }] },
    'checkout-button': { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
  },
}
// What flagstage/devtools writes: flag:variant,... URI-encoded.
const cookie = (overrides: Record<string, string>, name = 'flagstage-overrides') => `theme=dark; ${name}=${encodeURIComponent(formatOverrides(overrides))}; other=1`
const request = (cookieHeader?: string) => new Request('http://app.test/flags', cookieHeader ? { headers: { cookie: cookieHeader } } : {})

describe('readOverrideCookie', () => {
  it('is off unless enabled', async () => {
    const req = request(cookie({ 'new-checkout': 'on' }))
    expect(await readOverrideCookie(req, { enabled: false })).toEqual({})
    expect(await readOverrideCookie(req, { enabled: (() => 'yes') as unknown as () => boolean })).toEqual({})
    expect(await readOverrideCookie(req, { enabled: true })).toEqual({ 'new-checkout': 'on' })
  })

  it('decides per request with an (async) enabled function', async () => {
    const enabled = async (r: Request) => r.headers.get('x-staff') === '1'
    const header = cookie({ 'checkout-button': 'treatment' })
    expect(await readOverrideCookie(new Request('http://a/', { headers: { cookie: header } }), { enabled })).toEqual({})
    expect(await readOverrideCookie(new Request('http://a/', { headers: { cookie: header, 'x-staff': '1' } }), { enabled })).toEqual({ 'checkout-button': 'treatment' })
  })

  it('passes the value through verify, which may refuse it or return the trusted part', async () => {
    const signed = request(`flagstage-overrides=${encodeURIComponent('new-checkout:on.good-signature')}`)
    const verify = (value: string) => {
      const dot = value.lastIndexOf('.')
      return value.slice(dot + 1) === 'good-signature' && value.slice(0, dot)
    }
    expect(await readOverrideCookie(signed, { enabled: true, verify })).toEqual({ 'new-checkout': 'on' })
    const forged = request(`flagstage-overrides=${encodeURIComponent('new-checkout:on.forged')}`)
    expect(await readOverrideCookie(forged, { enabled: true, verify })).toEqual({})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await readOverrideCookie(signed, { enabled: true, verify: async () => { throw new Error('key store down') } })).toEqual({})
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
  })

  it('ignores a missing, malformed or oversized cookie; reads another name; reads node request headers', async () => {
    expect(await readOverrideCookie(request(), { enabled: true })).toEqual({})
    expect(await readOverrideCookie(request('flagstage-overrides=%E0%A4%A'), { enabled: true })).toEqual({})
    expect(await readOverrideCookie(request(`flagstage-overrides=${'a:b,'.repeat(2000)}`), { enabled: true })).toEqual({})
    expect(await readOverrideCookie(request(cookie({ a: 'on' }, 'qa')), { enabled: true, name: 'qa' })).toEqual({ a: 'on' })
    expect(await readOverrideCookie({ headers: { cookie: cookie({ a: 'on' }) } }, { enabled: true })).toEqual({ a: 'on' })
    expect(await readOverrideCookie({ headers: {} }, { enabled: true })).toEqual({})
  })
})

describe('overrideEvaluator', () => {
  let server: Server | undefined
  afterEach(() => server?.close())

  it('serves the cookie\'s overrides from evaluatedHandler, only where enabled, without changing the client', async () => {
    const client = createClient({ bootstrap: config })
    const handler = evaluatedHandler({
      evaluator: overrideEvaluator({ client, enabled: (r) => r.headers.get('x-staff') === '1', context: () => ({ userId: 'u-1' }) }),
    })
    const header = cookie({ 'new-checkout': 'on', 'checkout-button': 'treatment' })
    const staff = await (await handler(new Request('http://a/flags', { headers: { cookie: header, 'x-staff': '1' } }))).json()
    expect(staff.flags['new-checkout']).toEqual({ variant: 'on', value: true, enabled: true })
    expect(staff.flags['checkout-button'].value).toBe('green')
    const visitor = await (await handler(new Request('http://a/flags', { headers: { cookie: header } }))).json()
    expect(visitor.flags['new-checkout'].enabled).toBe(false)
    expect(client.isEnabled('new-checkout')).toBe(false)
  })

  it('works on node:http through flagstage/node\'s toNode', async () => {
    const client = createClient({ bootstrap: config })
    server = createServer(toNode(evaluatedHandler({ evaluator: overrideEvaluator({ client, enabled: true }) })))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/flags`
    const res = await fetch(url, { headers: { cookie: cookie({ 'checkout-button': 'treatment' }) } })
    expect(res.headers.get('vary')).toContain('Cookie')
    expect((await res.json()).flags['checkout-button'].variant).toBe('treatment')
    expect((await (await fetch(url)).json()).flags['checkout-button'].variant).toBe('control')
  })

  it('reads a node request as it is (node:http, Express, Fastify handlers), into withOverrides', async () => {
    const client = createClient({ bootstrap: config })
    server = createServer(async (req, res) => {
      const overrides = await readOverrideCookie(req, { enabled: req.headers['x-staff'] === '1' })
      const flags = withOverrides(client, { userId: 'u-1' }, overrides)
      res.end(flags.isEnabled('new-checkout') ? 'new' : 'classic')
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
    const header = cookie({ 'new-checkout': 'on' })
    expect(await (await fetch(url, { headers: { cookie: header, 'x-staff': '1' } })).text()).toBe('new')
    expect(await (await fetch(url, { headers: { cookie: header } })).text()).toBe('classic')
  })
})
