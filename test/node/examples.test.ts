// Runs examples/node-http/*.mjs as real processes against the built package (`npx tsup` first):
// they import 'flagstage' and 'flagstage/node' by name, resolved through package.json "exports".
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from 'flagstage'
import type { Config } from 'flagstage'
import { eventually, removeTemp, tempDir } from './helpers.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const example = (name: string): string => join(root, 'examples/node-http', name)
const built = existsSync(join(root, 'dist/node/index.js')) && existsSync(join(root, 'dist/index.js'))
const flagsJson = JSON.parse(readFileSync(example('flags.json'), 'utf8')) as Config

interface Running { origin: string; child: ChildProcess; exited: Promise<number | null> }
const running: Running[] = []

/** Start an example on port 0 with its own copy of flags.json; resolves with the printed origin. */
const run = (file: string, flagsPath: string): Promise<Running> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [example(file)], {
      cwd: root,
      env: { ...process.env, PORT: '0', FLAGS_PATH: flagsPath, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) {
        const started = { origin: match[1]!, child, exited }
        running.push(started)
        resolve(started)
      }
    })
    void exited.then((code) => reject(new Error(`${file} exited with ${code}: ${err}`)))
  })

afterEach(async () => {
  for (const { child, exited } of running.splice(0)) {
    child.kill('SIGKILL')
    await exited
  }
  removeTemp()
})

const copyFlags = (): string => {
  const path = join(tempDir(), 'flags.json')
  copyFileSync(example('flags.json'), path)
  return path
}

const users = Array.from({ length: 24 }, (_, i) => ({
  'x-user-id': `user-${i}`,
  'x-country': ['DE', 'FR', 'AT', 'US'][i % 4]!,
  ...(i % 5 === 0 ? { 'x-email': `staff${i}@flagstage.example` } : {}),
}))

/** What local evaluation of flags.json says for a user: the servers must agree. */
const expected = (headers: (typeof users)[number]): { newHome: boolean; button: string; maxItems: number } => {
  const local = createClient({ bootstrap: flagsJson }).forContext({
    userId: headers['x-user-id'], country: headers['x-country'], email: headers['x-email'],
  })
  return { newHome: local.isEnabled('new-home'), button: local.value('checkout-button', ''), maxItems: local.value('max-items', 0) }
}

describe.skipIf(!built)('examples/node-http (built package; run `npx tsup` first)', () => {
  it('server.mjs serves each user their flags through req.flags and isEnabled() from AsyncLocalStorage', async () => {
    const { origin } = await run('server.mjs', copyFlags())
    const answers = await Promise.all(users.map(async (headers) => (await fetch(origin, { headers })).json()))
    answers.forEach((body, i) => {
      const want = expected(users[i]!)
      expect(body).toEqual({
        page: want.newHome ? 'new-home' : 'classic-home',
        button: want.button,
        maxItems: want.maxItems,
        viaReqFlags: want.button === 'green' ? 'treatment' : 'control',
      })
    })
    // The 50% rollout really splits the (non-staff) users.
    const pages = new Set(answers.map((body) => (body as { page: string }).page))
    expect(pages).toEqual(new Set(['new-home', 'classic-home']))
  })

  it('server.mjs serves evaluated flags without rules, with an ETag, and picks up an edited flags.json', async () => {
    const flagsPath = copyFlags()
    const { origin } = await run('server.mjs', flagsPath)
    const staff = { 'x-user-id': 'user-1', 'x-email': 'ops@flagstage.example' }
    const res = await fetch(`${origin}/flags/evaluated`, { headers: staff })
    const text = await res.text()
    expect(JSON.parse(text).flags['max-items']).toEqual({ variant: 'large', value: 50, enabled: true })
    expect(text).not.toContain('flagstage.example')
    expect(text).not.toContain('rules')
    const etag = res.headers.get('etag')!
    expect((await fetch(`${origin}/flags/evaluated`, { headers: { ...staff, 'if-none-match': etag } })).status).toBe(304)

    // Kill switch in the file: the running server follows without a restart.
    const edited = { ...flagsJson, revision: 'example-2', flags: { ...flagsJson.flags, 'new-home': { enabled: false } } }
    writeFileSync(flagsPath, JSON.stringify(edited))
    await eventually(async () => {
      const body = await (await fetch(origin, { headers: staff })).json()
      expect(body.page).toBe('classic-home')
    })
    expect((await fetch(`${origin}/flags/evaluated`, { headers: { ...staff, 'if-none-match': etag } })).status).toBe(200)
  })

  it('express.mjs answers with req.flags and with isEnabled()/value() after an async step and a JSON body', async () => {
    const { origin } = await run('express.mjs', copyFlags())
    for (const headers of users) {
      const want = expected(headers)
      const home = await (await fetch(origin, { headers })).json()
      expect(home).toEqual({ page: want.newHome ? 'new-home' : 'classic-home', button: want.button })
      const cart = await fetch(`${origin}/cart`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => i) }),
      })
      expect(await cart.json()).toEqual({ accepted: Math.min(30, want.maxItems), limit: want.maxItems, newHome: want.newHome })
    }
    const evaluated = await (await fetch(`${origin}/flags/evaluated`, { headers: users[1]! })).json()
    expect(evaluated.flags['checkout-button'].value).toBe(expected(users[1]!).button)
  })

  it('both examples exit on their own after SIGTERM (server closed, client closed, no timers or watchers left)', async () => {
    for (const file of ['server.mjs', 'express.mjs']) {
      const { origin, child, exited } = await run(file, copyFlags())
      await fetch(origin, { headers: users[0]! })
      child.kill('SIGTERM')
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 3000))])
      expect(code, file).toBe(0)
    }
  })
})
