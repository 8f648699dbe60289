import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from 'flagstage'
import { unleash } from 'flagstage/unleash'
import { closeServers, startServer } from '../helpers/server.ts'

afterEach(closeServers)

const feature = (name: string, enabled = true) => ({ name, enabled, strategies: [{ name: 'default' }] })
const once = <T>(on: (listener: (value: T) => void) => unknown): Promise<T> => new Promise((resolve) => on(resolve))

describe('unleash()', () => {
  it('polls /client/features with Unleash client headers and serves the translated config', async () => {
    const server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' })
      res.end(JSON.stringify({ version: 2, features: [feature('new-checkout'), feature('old', false)] }))
    })
    const client = createClient({
      source: unleash(`${server.origin}/api`, { appName: 'web', instanceId: 'i-1', token: 'secret-token', pollMs: 0 }),
    })
    await client.ready()
    expect([client.isEnabled('new-checkout'), client.isEnabled('old')]).toEqual([true, false])
    const hit = server.hits[0]!
    expect(hit.path).toBe('/api/client/features')
    expect(hit.headers['unleash-appname']).toBe('web')
    expect(hit.headers['unleash-instanceid']).toBe('i-1')
    expect(hit.headers.authorization).toBe('secret-token')
    client.close()
  })

  it('applies delta events to the state it keeps: hydration, then updates and removals', async () => {
    const responses = [
      { events: [{ type: 'hydration', eventId: 1, features: [feature('a'), feature('b')], segments: [] }] },
      { events: [
        { type: 'feature-removed', eventId: 2, featureName: 'a', project: 'default' },
        { type: 'segment-updated', eventId: 3, segment: { id: 7, constraints: [{ contextName: 'appName', operator: 'IN', values: ['web'] }] } },
        { type: 'feature-updated', eventId: 4, feature: { name: 'c', enabled: true, strategies: [{ name: 'default', segments: [7] }] } },
      ] },
    ]
    let n = 0
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(responses[Math.min(n++, 1)]))
    })
    const client = createClient({ source: unleash(server.origin + '/api/', { appName: 'web', delta: true, pollMs: 20, jitter: 0 }) })
    await client.ready()
    expect(client.isEnabled('a')).toBe(true)
    await once((l) => client.on('change', l))
    expect(server.hits[0]!.path).toBe('/api/client/delta')
    expect([client.isEnabled('a'), client.isEnabled('b')]).toEqual([false, true])
    expect(client.forContext({ appName: 'web' }).isEnabled('c')).toBe(true)
    expect(client.forContext({ appName: 'ios' }).isEnabled('c')).toBe(false)
    client.close()
  })

  it('reports a body that is not Unleash JSON and keeps the last good config', async () => {
    let n = 0
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(n++ === 0 ? { features: [feature('x')] } : { nope: true }))
    })
    const client = createClient({ source: unleash(`${server.origin}/api/client/features`, { appName: 'web', pollMs: 20, jitter: 0 }) })
    await client.ready()
    const error = await once<{ code: string }>((l) => client.on('error', l))
    expect(error.code).toBe('INVALID_CONFIG')
    expect(client.isEnabled('x')).toBe(true)
    expect(server.hits[0]!.path).toBe('/api/client/features')
    client.close()
  })
})
