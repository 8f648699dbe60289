// flagstage/server (and core) in other runtimes, from their npm packages (test/runtimes/package.json, installed
// by .ci/run): Deno and Bun load dist/ directly, workerd runs an esbuild bundle of it. Each serves
// evaluatedHandler() from a client made at module scope, and must answer exactly what Node answers: the same
// evaluated flags (same buckets), the same ETag, and 304 on If-None-Match. Without CI=true, a runtime that
// is not installed is skipped; under CI it fails.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'flagstage'
import type { Config } from 'flagstage'
import { evaluatedHandler } from 'flagstage/server'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = join(here, '../..')
const bin = (name: string): string => join(here, 'node_modules/.bin', name)
const CI = !!process.env.CI

const CONFIG: Config = {
  schemaVersion: 1,
  revision: 'rt-1',
  segments: { staff: { attr: 'userId', op: 'in', values: ['secret-staff-id'] } },
  flags: {
    plain: { enabled: true, rules: [{ serve: 'on' }] },
    staff: { enabled: true, rules: [{ if: { segment: 'staff' }, serve: 'on' }] },
    button: { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control', rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'treatment' }] },
    rollout: { enabled: true, rules: [{ serve: { rollout: 50, by: 'userId' } }] },
    split: { enabled: true, variants: { a: 'A', b: 'B', c: 'C' }, offVariant: 'a', rules: [{ serve: { split: { a: 50, b: 30, c: 20 } } }] },
  },
}
const USERS = ['u-1', 'u-2', 'user-3@example.com', 'u-4', '5']

let origin = ''
let work = ''
const originServer = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify(CONFIG))
})
const children: ChildProcess[] = []

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/server/index.js'))) throw new Error('dist/ is missing: run `npx tsup` first')
  await new Promise<void>((resolve) => originServer.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(originServer.address() as AddressInfo).port}`
  work = mkdtempSync(join(tmpdir(), 'flagstage-runtimes-'))
  writeFileSync(join(work, 'app.mjs'), readFileSync(join(here, 'app.mjs'), 'utf8').replace('${ORIGIN}', origin))
})
afterAll(async () => {
  for (const child of children) child.kill()
  originServer.closeAllConnections()
  await new Promise((resolve) => originServer.close(resolve))
  if (work) rmSync(work, { recursive: true, force: true })
})

/** Start a runtime that prints `listening <port>`; resolve with its origin. */
const start = (command: string, args: string[], cwd: string): Promise<string> => new Promise((resolve, reject) => {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
  children.push(child)
  let out = ''
  const timer = setTimeout(() => reject(new Error(`${command} did not start: ${out}`)), 30_000)
  const onData = (chunk: Buffer): void => {
    out += chunk
    const port = /listening (\d+)/.exec(out)?.[1]
    if (port) {
      clearTimeout(timer)
      resolve(`http://127.0.0.1:${port}`)
    }
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  child.on('exit', (code) => reject(new Error(`${command} exited (${code}): ${out}`)))
})

/** What Node answers, the reference every runtime must match byte for byte. */
const expected = async (headers: Record<string, string>): Promise<{ body: string; etag: string }> => {
  const client = createClient({ bootstrap: CONFIG })
  const res = await evaluatedHandler({
    client, context: (r) => ({ userId: r.headers.get('x-user') ?? undefined, country: r.headers.get('x-country') ?? undefined }),
  })(new Request('http://x/', { headers }))
  client.close()
  return { body: await res.text(), etag: res.headers.get('etag')! }
}

const checkServes = async (server: string): Promise<void> => {
  for (const user of USERS) {
    const headers = { 'x-user': user, 'x-country': user === 'u-2' ? 'DE' : 'FR' }
    const want = await expected(headers)
    const res = await fetch(`${server}/api/flags`, { headers })
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(JSON.parse(body)).toEqual(JSON.parse(want.body))
    expect(body).toBe(want.body)
    expect(body).not.toContain('secret-staff-id')
    expect(res.headers.get('etag')).toBe(want.etag)
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    const again = await fetch(`${server}/api/flags`, { headers: { ...headers, 'if-none-match': want.etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
  }
}

const runtime = (name: string, run: () => Promise<string>): void => {
  const installed = existsSync(bin(name))
  const test = installed || CI ? it : it.skip
  test(`serves evaluatedHandler() from a module-scope client like Node does (${name})`, async () => {
    if (!installed) throw new Error(`${name} is not installed: run \`npm ci\` in test/runtimes (CI requires it)`)
    await checkServes(await run())
  }, 60_000)
}

describe('flagstage/server in other runtimes', () => {
  runtime('deno', async () => {
    writeFileSync(join(work, 'deno.json'), JSON.stringify({ imports: {
      flagstage: `file://${root}/dist/index.js`, 'flagstage/server': `file://${root}/dist/server/index.js`,
      'eventsource-parser': `file://${root}/node_modules/eventsource-parser/dist/index.js`,
    } }))
    writeFileSync(join(work, 'deno-main.mjs'), `import { handler } from './app.mjs'
Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log('listening ' + port) }, handler)`)
    return start(bin('deno'), ['run', '--allow-net', '--allow-read', '--allow-env', '--config', 'deno.json', 'deno-main.mjs'], work)
  })

  runtime('bun', async () => {
    // Bun resolves 'flagstage' through node_modules and the package's exports map, to dist/.
    const dir = join(work, 'bun')
    mkdirSync(join(dir, 'node_modules'), { recursive: true })
    symlinkSync(root, join(dir, 'node_modules/flagstage'))
    writeFileSync(join(dir, 'app.mjs'), readFileSync(join(work, 'app.mjs')))
    writeFileSync(join(dir, 'bun-main.mjs'), `import { handler } from './app.mjs'
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler }); console.log('listening ' + server.port)`)
    return start(bin('bun'), ['bun-main.mjs'], dir)
  })

  runtime('workerd', async () => {
    writeFileSync(join(work, 'worker-main.mjs'), `import { handler } from './app.mjs'\nexport default { fetch: (request) => handler(request) }`)
    await build({
      entryPoints: [join(work, 'worker-main.mjs')], bundle: true, format: 'esm', outfile: join(work, 'worker.js'), logLevel: 'silent',
      alias: { flagstage: join(root, 'dist/index.js'), 'flagstage/server': join(root, 'dist/server/index.js') },
    })
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo
        probe.close(() => resolve(p))
      })
    })
    writeFileSync(join(work, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker), (name = "net", network = (allow = ["public", "private", "local"])) ],
  sockets = [ ( name = "http", address = "127.0.0.1:${port}", http = (), service = "main" ) ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-09-23",
  globalOutbound = "net",
);`)
    const child = spawn(bin('workerd'), ['serve', 'config.capnp'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    const server = `http://127.0.0.1:${port}`
    // workerd prints nothing when it listens: poll until it answers.
    for (let i = 0; ; i++) {
      try {
        await fetch(server)
        return server
      } catch (error) {
        if (i > 300 || child.exitCode !== null) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  })
})
