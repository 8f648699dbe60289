// flagstage in one minute: deploy dark, release deliberately, kill in one move.
//
// A local server streams the flag config over server-sent events (and serves it as JSON with an
// ETag for the fallback poll). Forty "browsers" (one client each, one user each: USERS below) listen.
// The script then edits the config like a release manager would: a 10% canary, raised to 50%,
// a kill switch, and back on. Every user's decision is printed as it changes, live.
//
//   npm run demo            (builds, then runs this file against the built package)
import { createServer } from 'node:http'
import { createClient, sse } from 'flagstage'

const USERS = Array.from({ length: 40 }, (_, i) => `user-${String(i + 1).padStart(2, '0')}`)
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
const ON = paint('32', '●')
const OFF = paint('2', '·')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// ---- the "flag service": any JSON source will do; here, a tiny SSE + JSON endpoint ----------
let revision = 0
let config
const streams = new Set()
const publish = (flag) => {
  revision += 1
  config = { schemaVersion: 1, revision: `r${revision}`, flags: { 'new-checkout': flag } }
  const frame = `event: config\nid: ${config.revision}\ndata: ${JSON.stringify(config)}\n\n`
  for (const res of streams) res.write(frame)
  return Date.now()
}
const server = createServer((req, res) => {
  if (req.url === '/flags/stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(`event: config\nid: ${config.revision}\ndata: ${JSON.stringify(config)}\n\n`)
    streams.add(res)
    req.on('close', () => streams.delete(res))
    return
  }
  if (req.url === '/flags.json') {
    const etag = `"${config.revision}"`
    if (req.headers['if-none-match'] === etag) return res.writeHead(304).end()
    return res.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(config))
  }
  res.writeHead(404).end()
})

const rollout = (percent) => ({ enabled: true, rules: [{ serve: { rollout: percent } }] })
publish(rollout(10))
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`

// ---- the apps: one client per user, as each browser would have -----------------------------
const decisions = new Map()
let pending = 0
let settled = () => {}
const clients = USERS.map((userId) =>
  createClient({
    source: sse(`${base}/flags/stream`, { fallbackUrl: `${base}/flags.json` }),
    context: { userId },
  }),
)
const listen = (client, userId) =>
  client.on('change', ({ keys }) => {
    if (!keys.includes('new-checkout')) return
    const now = client.isEnabled('new-checkout')
    const { bucket } = client.explain('new-checkout')
    console.log(`    ${userId}  ${decisions.get(userId) ? ON : OFF} → ${now ? ON : OFF}   (bucket ${bucket === -1 ? '—' : String(bucket).padStart(4)})`)
    decisions.set(userId, now)
    if (--pending === 0) settled()
  })

const grid = () => USERS.map((u) => (decisions.get(u) ? ON : OFF)).join(' ')
const inNow = () => new Set(USERS.filter((u) => decisions.get(u)))
const step = async (title, flag, expectedChanges) => {
  console.log(`\n${paint('1', title)}`)
  const done = new Promise((r) => (settled = r))
  pending = expectedChanges
  const pushed = publish(flag)
  if (expectedChanges > 0) await Promise.race([done, sleep(3000)])
  const ms = Date.now() - pushed
  console.log(`  ${grid()}   ${inNow().size}/${USERS.length} on` + (expectedChanges ? paint('2', `   (pushed to ${USERS.length} clients, all decided in ${ms} ms)`) : ''))
  await sleep(700)
}

await Promise.all(clients.map((c) => c.ready({ timeoutMs: 3000 })))
for (const [i, c] of clients.entries()) {
  decisions.set(USERS[i], c.isEnabled('new-checkout'))
  listen(c, USERS[i])
}
console.log(`${paint('1', 'flagstage demo')} — ${USERS.length} users, flag "new-checkout", config streamed from ${base}`)
console.log(`\n${paint('1', '1. Canary: the new checkout ships dark and opens to 10% of users')}`)
console.log(`  ${grid()}   ${inNow().size}/${USERS.length} on`)
const canary = inNow()
await sleep(700)

// Which users a change will move is known locally: count them so the demo waits for exactly those.
const wouldBeOn = (flag) => {
  const probe = createClient({ bootstrap: { schemaVersion: 1, flags: { 'new-checkout': flag } } })
  return new Set(USERS.filter((userId) => probe.forContext({ userId }).isEnabled('new-checkout')))
}
const moved = (flag) => {
  const next = wouldBeOn(flag)
  return USERS.filter((u) => next.has(u) !== Boolean(decisions.get(u))).length
}

await step('2. Raise the rollout to 50%: users only join, nobody who had it loses it', rollout(50), moved(rollout(50)))
const half = inNow()
const kept = [...canary].every((u) => half.has(u))
console.log(`  the ${canary.size} canary users are ${kept ? paint('32', 'all still in') : paint('31', 'NOT all still in')}`)

const killed = { ...rollout(50), enabled: false }
await step('3. Something breaks: kill switch (enabled: false), off for everyone at once', killed, moved(killed))

await step('4. Fixed: switch it back on, the same 50% get it back', rollout(50), moved(rollout(50)))
const same = [...half].every((u) => inNow().has(u)) && inNow().size === half.size
console.log(`  same users as before the kill switch: ${same ? paint('32', 'yes') : paint('31', 'no')}`)

for (const c of clients) c.close()
server.closeAllConnections?.()
server.close()
console.log('\nDone. Every decision above was made locally, by murmur3 bucketing, in each client.')
if (!kept || !same) process.exitCode = 1
