// A plain node:http server using flagstage/node (run `npx tsup` first: the example imports the built package).
//   PORT=3000 node examples/node-http/server.mjs
//   curl -H 'x-user-id: u-1' -H 'x-country: DE' http://127.0.0.1:3000/
//   curl -H 'x-user-id: u-1' http://127.0.0.1:3000/flags/evaluated      # what a browser gets: no rules
// Edit flags.json while it runs: the file source reloads it.
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { createClient } from 'flagstage'
import { evaluatedHandler, file, flagsMiddleware, isEnabled, value } from 'flagstage/node'

const FLAGS_PATH = process.env.FLAGS_PATH ?? fileURLToPath(new URL('./flags.json', import.meta.url))

/** The user's flag context, from request headers (a real app would read its session). */
const contextOf = (req) => ({
  userId: req.headers['x-user-id'] ?? 'anonymous',
  email: req.headers['x-email'],
  country: req.headers['x-country'],
})

// Deep inside the app: no request, user or client passed down; AsyncLocalStorage knows.
const renderHome = async () => {
  await new Promise((resolve) => setTimeout(resolve, 1)) // some I/O
  return {
    page: isEnabled('new-home') ? 'new-home' : 'classic-home',
    button: value('checkout-button', 'blue'),
    maxItems: value('max-items', 10),
  }
}

/** Start listening on `port` (0: any free port). Closing the server closes the flags client. */
export const start = async (port = 0) => {
  const flags = createClient({ source: file(FLAGS_PATH, { watch: true }) })
  await flags.ready({ timeoutMs: 1000 })
  const withFlags = flagsMiddleware({ client: flags, context: contextOf })
  const evaluated = evaluatedHandler()

  const server = createServer(withFlags.wrap(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost')
    if (pathname === '/flags/evaluated') return evaluated(req, res)
    if (pathname !== '/') return res.writeHead(404).end()
    const body = { ...(await renderHome()), viaReqFlags: req.flags.variant('checkout-button').name }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }))
  server.on('close', () => flags.close()) // stops the file watcher: nothing keeps the process alive
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await start(Number(process.env.PORT ?? 3000))
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
  process.on('SIGTERM', () => server.close())
}
