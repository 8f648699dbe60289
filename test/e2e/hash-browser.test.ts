// The same user gets the same bucket in the browser as in Node: the built core, bundled for the browser,
// hashes the shared reference vectors inside Debian's Chromium (UTF-8 ids included).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import vectors from '../fixtures/hash-vectors.json' with { type: 'json' }
import { CHROMIUM, launchChromium } from '../helpers/chromium.ts'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe.skipIf(!CHROMIUM)('hashing in Chromium', SLOW, () => {
  let server: Server
  let browser: Browser
  let base = ''

  beforeAll(async () => {
    if (!existsSync(`${root}dist/index.js`)) execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 170_000 })
    const bundle = await build({
      stdin: { contents: `export { bucketOf, variantBucketOf, murmur3, createClient } from ${JSON.stringify(`${root}dist/index.js`)}`, resolveDir: root },
      bundle: true, format: 'esm', platform: 'browser', minify: true, write: false, logLevel: 'silent',
    })
    const js = bundle.outputFiles[0]!.text
    server = createServer((req, res) => {
      if (req.url === '/flagstage.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8"><title>hash</title>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  it('computes every reference murmur3 value and bucket exactly as Node does', async () => {
    const page = await browser.newPage()
    await page.goto(`${base}/`)
    // A string, not a function: vitest would rewrite a dynamic import() inside a function body.
    const script = `(async () => {
      const m = await import(${JSON.stringify(`${base}/flagstage.js`)})
      const v = ${JSON.stringify(vectors)}
      const config = { schemaVersion: 1, flags: { 'new-checkout': { enabled: true, rules: [{ serve: { rollout: 50 } }] } } }
      return {
        murmur3: v.murmur3.map((t) => m.murmur3(t.input, t.seed)),
        buckets: v.buckets.map((t) => [m.bucketOf(t.salt, t.unit), m.variantBucketOf(t.salt, t.unit)]),
        // a rollout evaluated through the client, as an app would
        rollout: ['user-1', 'user-2', '用户-7', 'josé'].map((userId) =>
          m.createClient({ bootstrap: config }).forContext({ userId }).explain('new-checkout').bucket),
      }
    })()`
    const got = (await page.evaluate(script)) as { murmur3: number[]; buckets: number[][]; rollout: number[] }
    expect(got.murmur3).toEqual(vectors.murmur3.map((t) => t.hash))
    expect(got.buckets).toEqual(vectors.buckets.map((t) => [t.bucket, t.variantBucket]))
    const { bucketOf } = await import('flagstage')
    expect(got.rollout).toEqual(['user-1', 'user-2', '用户-7', 'josé'].map((u) => bucketOf('new-checkout', u)))
    await page.close()
  })
})
