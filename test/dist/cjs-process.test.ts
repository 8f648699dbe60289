// The CommonJS build in a plain Node process (`npm run build` first), where every require('flagstage...')
// meets one dist/index.cjs as in an app. (In vitest a test file gets its own instance of an aliased
// dist/index.cjs, apart from the one dist/<entry>/index.cjs require()s; the module split is the runner's, not
// the package's, and the process-wide slots make the suites pass across it too.)
// - the default client from configure(), read by flagstage/node's withContext, flagsMiddleware and
//   evaluatedHandler, and by flagstage/server's evaluatedHandler through toNode;
// - flagstage/devtools (in happy-dom) forcing a variant through the CJS core's setOverrides, remembering it
//   and writing the override cookie, which flagstage/server's overrideEvaluator serves.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = ['index.cjs', 'node/index.cjs', 'server/index.cjs', 'devtools/index.cjs'].every((f) => existsSync(`${root}dist/${f}`))

/** Run CommonJS `code` in a fresh node from the package root (so 'flagstage' resolves through "exports"); it prints JSON. */
const cjs = (code: string): unknown =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => { ${code} })().catch((e) => { console.error(e); process.exit(1) })`], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  }))

const COMMON = `
const http = require('node:http')
const core = require('flagstage')
const node = require('flagstage/node')
const server = require('flagstage/server')
const resolved = ['flagstage', 'flagstage/node', 'flagstage/server'].map((p) => require.resolve(p).replace(/^.*dist\\//, ''))
const config = { schemaVersion: 1, flags: {
  pro: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] },
  'checkout-button': { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
} }
const listen = async (handler) => {
  const s = http.createServer(handler)
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))
  return { url: 'http://127.0.0.1:' + s.address().port, close: () => s.close() }
}
`

describe.skipIf(!built && !process.env.CI)('the CommonJS build in a plain Node process (built package)', SLOW, () => {
  it('flagstage/node and flagstage/server read the default client that configure() made', () => {
    const out = cjs(`${COMMON}
      core.configure({ bootstrap: { ...config, revision: 'configured' } })
      const outside = node.isEnabled('pro')
      const inside = await node.withContext({ plan: 'pro' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return { on: node.isEnabled('pro'), context: node.currentContext(), revision: node.explain('pro').revision }
      })
      const middleware = node.flagsMiddleware({ context: (req) => ({ plan: req.headers['x-plan'] }) })
      const app = await listen((req, res) => middleware(req, res, () => setImmediate(() =>
        res.end(JSON.stringify({ viaReq: req.flags.isEnabled('pro'), viaContext: node.isEnabled('pro') })))))
      const plan = (p) => ({ headers: { 'x-plan': p } })
      const viaMiddleware = [await (await fetch(app.url, plan('pro'))).json(), await (await fetch(app.url, plan('free'))).json()]
      app.close()
      const nodeHandler = await listen(node.evaluatedHandler({ context: (req) => ({ plan: req.headers['x-plan'] }) }))
      const fetchHandler = await listen(node.toNode(server.evaluatedHandler({ context: (req) => ({ plan: req.headers.get('x-plan') }) })))
      const served = []
      for (const h of [nodeHandler, fetchHandler]) {
        for (const p of ['pro', 'free']) served.push((await (await fetch(h.url, plan(p))).json()).flags.pro.enabled)
        h.close()
      }
      console.log(JSON.stringify({ resolved, outside, inside, viaMiddleware, served }))
    `)
    expect(out).toEqual({
      resolved: ['index.cjs', 'node/index.cjs', 'server/index.cjs'],
      outside: false,
      inside: { on: true, context: { plan: 'pro' }, revision: 'configured' },
      viaMiddleware: [{ viaReq: true, viaContext: true }, { viaReq: false, viaContext: false }],
      served: [true, false, true, false],
    })
  })

  it('flagstage/devtools forces a variant on a CJS client, remembers it, and its cookie reaches overrideEvaluator', () => {
    const out = cjs(`
      const { Window } = require('happy-dom')
      const window = new Window({ url: 'http://app.test/' })
      for (const name of ['window', 'document', 'localStorage', 'location', 'HTMLElement', 'Event', 'KeyboardEvent', 'MouseEvent', 'Node']) globalThis[name] = window[name]
      ${COMMON}
      const devtools = require('flagstage/devtools')
      resolved.push(require.resolve('flagstage/devtools').replace(/^.*dist\\//, ''))
      const client = core.createClient({ bootstrap: config, context: { userId: 'u-7' } })
      const changes = []
      client.on('change', ({ keys }) => changes.push(keys))
      const unmount = devtools.mountDevtools(client, { open: true, cookie: true })
      const select = document.querySelector('[data-flagstage-devtools]').shadowRoot.querySelector('select[aria-label="checkout-button"]')
      const before = client.variant('checkout-button').name
      select.value = 'treatment'
      select.dispatchEvent(new window.Event('change'))
      const after = { variant: client.variant('checkout-button').name, overrides: core.getOverrides(client), changes }
      const stored = localStorage.getItem('flagstage:overrides')
      const cookie = document.cookie
      unmount()
      // The next page load: a new client of the same build, the devtools re-apply what they stored.
      const next = core.createClient({ bootstrap: config, context: { userId: 'u-7' } })
      const unmountNext = devtools.mountDevtools(next)
      const reapplied = next.variant('checkout-button').name
      unmountNext()
      // The server side (another CJS client): the cookie the devtools wrote, read only where enabled.
      const backend = core.createClient({ bootstrap: config })
      const app = await listen(node.toNode(server.evaluatedHandler({
        evaluator: server.overrideEvaluator({ client: backend, enabled: (req) => req.headers.get('x-staff') === '1' }),
      })))
      const variantFor = async (headers) => (await (await fetch(app.url, { headers })).json()).flags['checkout-button'].variant
      const served = { staff: await variantFor({ cookie, 'x-staff': '1' }), visitor: await variantFor({ cookie }) }
      app.close()
      console.log(JSON.stringify({ resolved, before, after, stored, cookie, reapplied, served, backend: backend.variant('checkout-button').name }))
      await window.happyDOM.close()
    `)
    expect(out).toEqual({
      resolved: ['index.cjs', 'node/index.cjs', 'server/index.cjs', 'devtools/index.cjs'],
      before: 'control',
      after: { variant: 'treatment', overrides: { 'checkout-button': 'treatment' }, changes: [['checkout-button']] },
      stored: 'checkout-button:treatment',
      cookie: `flagstage-overrides=${encodeURIComponent('checkout-button:treatment')}`,
      reapplied: 'treatment',
      served: { staff: 'treatment', visitor: 'control' },
      backend: 'control',
    })
  })
})
