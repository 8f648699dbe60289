// An Express 5 server using flagstage/node (run `npx tsup` first: the example imports the built package).
//   PORT=3000 node examples/node-http/express.mjs
//   curl -H 'x-user-id: u-1' -H 'x-country: AT' http://127.0.0.1:3000/
//   curl -X POST -H 'content-type: application/json' -H 'x-user-id: u-1' -d '{"items":[1,2,3]}' http://127.0.0.1:3000/cart
import { fileURLToPath } from 'node:url'
import express from 'express'
import { createClient } from 'flagstage'
import { evaluatedHandler, file, flagsMiddleware, isEnabled, value } from 'flagstage/node'

const FLAGS_PATH = process.env.FLAGS_PATH ?? fileURLToPath(new URL('./flags.json', import.meta.url))

/** Anything deep in the app reads flags for the current request from AsyncLocalStorage. */
const cartLimit = async () => {
  await new Promise((resolve) => setImmediate(resolve))
  return value('max-items', 10)
}

/** Start listening on `port` (0: any free port). Closing the server closes the flags client. */
export const start = async (port = 0) => {
  const flags = createClient({ source: file(FLAGS_PATH, { watch: true }) })
  await flags.ready({ timeoutMs: 1000 })

  const app = express()
  app.use(express.json()) // body parsers (and auth) before flags, so the context can read them
  app.use(flagsMiddleware({
    client: flags,
    context: (req) => ({ userId: req.get('x-user-id') ?? 'anonymous', email: req.get('x-email'), country: req.get('x-country') }),
  }))

  app.get('/', (req, res) => {
    // req.flags: the request's evaluator, set by the middleware
    res.json({ page: req.flags.isEnabled('new-home') ? 'new-home' : 'classic-home', button: req.flags.value('checkout-button', 'blue') })
  })
  app.post('/cart', async (req, res) => {
    const items = Array.isArray(req.body?.items) ? req.body.items : []
    const limit = await cartLimit()
    res.json({ accepted: items.slice(0, limit).length, limit, newHome: isEnabled('new-home') })
  })
  app.get('/flags/evaluated', evaluatedHandler()) // for browsers: evaluated values only, with an ETag

  const server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s))
  })
  server.on('close', () => flags.close())
  return server
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await start(Number(process.env.PORT ?? 3000))
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
  process.on('SIGTERM', () => server.close())
}
