// React SSR with flagstage: node examples/react-ssr/server.mjs (after `npx tsup`), then open the URL.
//
//   GET  /                      server-rendered page; the evaluated snapshot is serialized into it
//   GET  /client.js             browser entry, bundled with esbuild at start
//   GET  /flags/stream          SSE: `event: config`, `id: <revision>`, `data: <whole config>`
//   GET  /flags.json            the config as JSON (the stream's fallback)
//   GET  /admin/state           { revision, clients }
//   POST /admin/config          replace the whole config (JSON body) and push it
//   POST /admin/flags/<key>     merge a JSON body into one flag and push, e.g. {"enabled":false} (kill switch)
//   POST /admin/rollout?flag=new-checkout&p=25[&enabled=true]   set a flag's rollout and push
//
// `flagstage` and `flagstage/react` resolve to dist/ through the package's own exports map.
import { createServer } from 'node:http'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createClient, validateConfig } from 'flagstage'
import { FlagsProvider } from 'flagstage/react'
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { App } from './app.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

const initialConfig = () => ({
  schemaVersion: 1,
  revision: 'r1',
  flags: {
    'new-checkout': {
      enabled: true,
      description: 'The one-page checkout',
      rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }, { serve: { rollout: 20 } }],
    },
    'checkout-button': {
      enabled: true,
      variants: { control: 'blue', treatment: 'green' },
      offVariant: 'control',
      rules: [{ serve: 'treatment' }],
    },
  },
})

/** `<script>`-safe JSON: no `</script>` or `<!--` can close or confuse the tag. */
const serialize = (value) => JSON.stringify(value).replace(/</g, '\\u003c')

const page = (html, state) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flagstage · React SSR</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f8fafc; color: #0f172a; }
  main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  .card { border-radius: 12px; padding: 1rem 1.25rem; margin: 1rem 0; border: 1px solid #e2e8f0; background: white; }
  .card.new { border-color: #86efac; } .card.classic { border-color: #cbd5e1; }
  button { color: white; border: 0; border-radius: 8px; padding: .6rem 1rem; font-size: 1rem; margin-right: .5rem; }
  button.ghost { color: #0f172a; background: #e2e8f0; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e2e8f0; }
  tr.off td { color: #94a3b8; }
  #status { color: #475569; font-size: .9rem; }
</style>
</head>
<body>
<div id="root">${html}</div>
<script>window.__FLAGSTAGE__ = ${serialize(state)}</script>
<script type="module" src="/client.js"></script>
</body>
</html>`

const readBody = async (req) => {
  let body = ''
  for await (const chunk of req) body += chunk
  return body ? JSON.parse(body) : {}
}

/**
 * Start the example. Resolves with `{ url, close }`.
 * @param {{ port?: number, host?: string, mode?: 'development' | 'production' }} [options]
 */
export async function start({ port = 3000, host = '127.0.0.1', mode = process.env.NODE_ENV === 'production' ? 'production' : 'development' } = {}) {
  const { build } = await import('esbuild')
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./client.mjs', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: mode === 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    write: false,
    absWorkingDir: here,
    logLevel: 'error',
  })
  const clientJs = bundle.outputFiles[0].text

  let config = initialConfig()
  let counter = 1
  const streams = new Set()

  const push = () => {
    const event = `id: ${config.revision}\nevent: config\ndata: ${JSON.stringify(config)}\n\n`
    for (const res of streams) res.write(event)
  }
  /** Validate, give it a new revision, install and push. Throws a FlagstageError on a bad config. */
  const publish = (next) => {
    next.revision = `r${++counter}`
    config = validateConfig(next)
    push()
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    try {
      if (req.method === 'GET' && url.pathname === '/') {
        // One client per request: the shared config, this user's context. It has no source, so
        // nothing to close; snapshot() is what the browser boots from.
        const context = { userId: url.searchParams.get('user') ?? 'u-42', plan: url.searchParams.get('plan') ?? 'pro' }
        const client = createClient({ bootstrap: config, context })
        const snapshot = client.snapshot()
        const html = renderToString(h(FlagsProvider, { client, snapshot }, h(App, { user: context })))
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(html, { snapshot, context }))
      } else if (req.method === 'GET' && url.pathname === '/client.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(clientJs)
      } else if (req.method === 'GET' && url.pathname === '/flags/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
        res.write('retry: 1000\n\n')
        streams.add(res)
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
        req.on('close', () => {
          clearInterval(heartbeat)
          streams.delete(res)
        })
        // The whole config on connect, unless the client already has this revision.
        if (req.headers['last-event-id'] !== config.revision) {
          res.write(`id: ${config.revision}\nevent: config\ndata: ${JSON.stringify(config)}\n\n`)
        }
      } else if (req.method === 'GET' && url.pathname === '/flags.json') {
        res.writeHead(200, { 'content-type': 'application/json', etag: `"${config.revision}"` }).end(JSON.stringify(config))
      } else if (req.method === 'GET' && url.pathname === '/admin/state') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revision: config.revision, clients: streams.size }))
      } else if (req.method === 'POST' && url.pathname === '/admin/config') {
        publish(await readBody(req))
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revision: config.revision }))
      } else if (req.method === 'POST' && url.pathname.startsWith('/admin/flags/')) {
        const key = decodeURIComponent(url.pathname.slice('/admin/flags/'.length))
        const next = structuredClone(config)
        next.flags[key] = { enabled: true, ...next.flags[key], ...(await readBody(req)) }
        publish(next)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revision: config.revision, flag: config.flags[key] }))
      } else if (req.method === 'POST' && url.pathname === '/admin/rollout') {
        const key = url.searchParams.get('flag') ?? 'new-checkout'
        const p = Number(url.searchParams.get('p') ?? 100)
        const enabled = url.searchParams.get('enabled')
        const next = structuredClone(config)
        const flag = (next.flags[key] ??= { enabled: true })
        flag.rules = [{ serve: { rollout: p } }]
        if (enabled !== null) flag.enabled = enabled !== 'false'
        publish(next)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revision: config.revision, flag }))
      } else {
        res.writeHead(404).end('not found')
      }
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error?.message ?? error) }))
    }
  })

  await new Promise((resolve) => server.listen(port, host, resolve))
  const url = `http://${host}:${server.address().port}`
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        for (const res of streams) res.end()
        server.close(resolve)
        server.closeAllConnections()
      }),
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 3000) })
  console.log(url) // the first line of output, read by test/e2e/react-ssr.test.ts
  console.error(`flagstage React SSR example on ${url}\n  try: curl -X POST '${url}/admin/flags/new-checkout' -d '{"enabled":false}'`)
}
