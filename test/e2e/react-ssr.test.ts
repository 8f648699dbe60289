// End to end: examples/react-ssr in real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core). Runs the example as its own process against the BUILT package (dist/).
// playwright gives every launch a fresh temporary profile (it refuses --user-data-dir in args).
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM, launchChromium } from '../helpers/chromium.ts'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const shots = join(root, 'test-output')

let server: ChildProcess | undefined
let url = ''
let browser: Browser | undefined
let page: Page
const problems: string[] = [] // console errors and page errors, for the whole run

const startExample = (): Promise<string> =>
  new Promise((resolve, reject) => {
    server = spawn(process.execPath, [join(root, 'examples/react-ssr/server.mjs')], {
      env: { ...process.env, PORT: '0', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      const line = out.split('\n')[0]!
      if (out.includes('\n') && line.startsWith('http')) resolve(line.trim())
    })
    server.stderr!.on('data', (chunk: Buffer) => void (err += chunk))
    server.on('exit', (code) => reject(new Error(`example exited (${code}): ${err}`)))
  })

const admin = async (path: string, body?: unknown): Promise<unknown> => {
  const res = await fetch(url + path, { method: 'POST', body: JSON.stringify(body ?? {}) })
  expect(res.status).toBe(200)
  return res.json()
}

const text = (selector: string): Promise<string> => page.locator(selector).innerText()

describe.skipIf(!CHROMIUM)('examples/react-ssr in Chromium', SLOW, () => {
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/react/index.js'))) {
      execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 170_000 })
    }
    mkdirSync(shots, { recursive: true })
    url = await startExample()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 800, height: 640 } })
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  }, 200_000)

  afterAll(async () => {
    await browser?.close()
    server?.kill()
  })

  it('serves server-rendered flag state in the HTML, before any JavaScript runs', async () => {
    const html = await (await fetch(url + '/')).text()
    expect(html).toContain('<h2>New checkout</h2>')
    expect(html).toContain('Pay now (green)')
    expect(html).toContain('flags: ready · revision r1')
    expect(html).toContain('window.__FLAGSTAGE__ = {"snapshot":{"evaluated":true')

    const noJs = await browser!.newContext({ javaScriptEnabled: false })
    const still = await noJs.newPage()
    await still.goto(url + '/')
    expect(await still.locator('#checkout h2').innerText()).toBe('New checkout')
    await still.screenshot({ path: join(shots, 'react-ssr-0-no-js.png') })
    await noJs.close()
  })

  it('hydrates without a hydration error or any console error', async () => {
    await page.goto(url + '/')
    await page.waitForSelector('body[data-hydrated="true"]')
    // The SSE stream answered: the live client is ready at the server's revision.
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'flags: ready · revision r1')
    expect(await page.evaluate(() => (window as unknown as { __hydrationErrors: string[] }).__hydrationErrors)).toEqual([])
    expect(await text('#checkout h2')).toBe('New checkout')
    expect(problems).toEqual([])
    await page.screenshot({ path: join(shots, 'react-ssr-1-hydrated.png') })
  })

  it('updates the page without a reload when the config changes on the server', async () => {
    await page.evaluate(() => void ((window as unknown as { marker: number }).marker = 42))
    await admin('/admin/flags/checkout-button', { rules: [{ serve: 'control' }] })
    await page.waitForFunction(() => document.querySelector('#pay')?.textContent === 'Pay now (blue)', undefined, { timeout: 5_000 })
    await admin('/admin/flags/express-pay', { enabled: true, rules: [{ serve: 'on' }] })
    await page.waitForSelector('#express', { timeout: 5_000 })
    expect(await text('#status')).toBe('flags: ready · revision r3')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42) // same page: no reload
    await page.screenshot({ path: join(shots, 'react-ssr-2-updated.png') })
  })

  it('hides the feature when its kill switch is thrown', async () => {
    await admin('/admin/flags/new-checkout', { enabled: false })
    await page.waitForFunction(() => document.querySelector('#checkout h2')?.textContent === 'Classic checkout', undefined, { timeout: 5_000 })
    expect(await page.locator('#pay').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
    await page.screenshot({ path: join(shots, 'react-ssr-3-killed.png') })
  })

  it('logged no console error, warning or page error during the whole run', () => {
    expect(problems).toEqual([])
  })
})
