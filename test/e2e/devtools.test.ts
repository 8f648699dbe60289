// flagstage/devtools end to end in Debian's Chromium (playwright-core): a small app page bundled with
// esbuild from dist/ (flagstage + flagstage/devtools, as an app would import them), served from node:http.
// Screenshots of the panel go to docs/devtools-*.png (shown in the README).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'
import { bucketOf, createClient } from 'flagstage'
import { CHROMIUM, launchChromium } from '../helpers/chromium.ts'
import { config } from '../devtools/fixtures.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const docs = join(root, 'docs')
const CONTEXT = { userId: 'u-7', country: 'CA' }

// The app: renders two flags, re-renders on every client notification, mounts the devtools.
const APP = `
import { createClient, urlOverrides } from 'flagstage'
import { mountDevtools } from 'flagstage/devtools'
const client = createClient({ bootstrap: ${JSON.stringify(config)}, context: ${JSON.stringify(CONTEXT)}, overrides: urlOverrides() })
const render = () => {
  const color = client.value('checkout-button', 'gray')
  const buy = document.getElementById('buy')
  buy.textContent = 'Buy now (' + color + ')'
  buy.style.background = color === 'green' ? '#1f9d55' : '#2b6cb0'
  document.getElementById('checkout').textContent = client.isEnabled('new-checkout') ? 'New checkout' : 'Classic checkout'
  document.getElementById('banner').hidden = !client.isEnabled('beta-banner')
}
client.subscribe(render)
render()
let unmount
export const app = {
  mount: () => { unmount = mountDevtools(client) },
  unmount: () => unmount && unmount(),
}
`
// Hostile page styles: none may reach the panel, and the panel's own may not reach the page.
const PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Shop</title>
<style>
  * { font-family: Georgia, serif !important; color: rgb(200, 0, 0) !important; }
  body { margin: 0; padding: 24px; background: #f7f3ea; font-size: 18px; }
  button { background: rgb(255, 221, 0); border: 3px solid black; padding: 10px 18px; font-size: 18px; }
  #buy { color: white !important; border: 0; border-radius: 6px; }
  .banner { background: #fff; border: 1px dashed #999; padding: 8px 12px; }
</style>
<h1>Shop</h1>
<p class="banner" id="banner">Beta: try our new search</p>
<p id="checkout"></p>
<p><button id="buy"></button> <button id="page-button">Page button</button></p>
<script type="module">import { app } from '/app.js'; window.app = app; app.mount(); document.title = 'Shop ready'</script>
</html>`

describe.skipIf(!CHROMIUM)('flagstage/devtools in Chromium', SLOW, () => {
  let server: Server
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let base = ''
  let problems: string[] = []

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/devtools/index.js'))) execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 300_000 })
    mkdirSync(docs, { recursive: true })
    const bundle = await build({
      stdin: { contents: APP, resolveDir: root, loader: 'js' },
      alias: { 'flagstage/devtools': join(root, 'dist/devtools/index.js'), flagstage: join(root, 'dist/index.js') },
      bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
    })
    const js = bundle.outputFiles[0]!.text
    server = createServer((req, res) => {
      if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
      else if (req.url === '/favicon.ico') res.writeHead(204).end()
      else if (req.url?.startsWith('/?') || req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    browser = await launchChromium()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  const openPage = async (): Promise<Page> => {
    problems = []
    context = await browser.newContext({ viewport: { width: 1000, height: 720 } })
    page = await context.newPage()
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())))
    page.on('pageerror', (e) => void problems.push(String(e)))
    await page.goto(`${base}/`)
    await page.waitForFunction(() => document.title === 'Shop ready')
    return page
  }

  afterEach(async () => {
    expect(problems).toEqual([]) // no console errors, no page errors
    await context?.close()
  })

  const toggle = () => page.getByRole('button', { name: /flag/i })
  const row = (key: string) => page.locator(`li.row[data-key="${key}"]`)

  it('opens, lists every flag with its value, variant and reason, and explains a rollout and a targeting rule', async () => {
    await openPage()
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('false')
    await page.screenshot({ path: join(docs, 'devtools-closed.png') })
    await toggle().click()
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('true')
    const expected = createClient({ bootstrap: config, context: CONTEXT })
    for (const key of Object.keys(config.flags)) {
      const x = expected.explain(key)
      await expect(row(key).locator('.value').innerText()).resolves.toBe(JSON.stringify(x.value))
      await expect(row(key).locator('.reason').innerText()).resolves.toBe(x.reason)
      await expect(row(key).locator('.variant').innerText()).resolves.toBe(x.variant ?? '')
    }
    await expect(page.locator('.status').innerText()).resolves.toBe('ready')
    await expect(page.locator('.revision').innerText()).resolves.toBe('revision r1')
    await page.screenshot({ path: join(docs, 'devtools-open.png') })

    // a rollout: the unit's bucket (as Node computes it) against the 25% threshold
    await row('new-checkout').getByRole('button', { name: /new-checkout/ }).click()
    const b = bucketOf('new-checkout', 'u-7')
    const rollout = await row('new-checkout').locator('.explain').innerText()
    expect(rollout).toContain(b < 2500 ? `bucket ${b} < 2500 (25%)` : `bucket ${b} ≥ 2500 (25%): outside the rollout`)
    // a targeting rule: the segment failed (no email), then country in US, CA matched
    await row('beta-banner').getByRole('button', { name: /beta-banner/ }).click()
    const rules = row('beta-banner').locator('li.rule')
    await expect(rules.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).resolves.toEqual(['no-match', 'served', 'not-reached'])
    await expect(rules.nth(0).innerText()).resolves.toContain('email endsWith "@example.com": the context has no email')
    await expect(rules.nth(1).innerText()).resolves.toContain('if country in "US", "CA"')
    await expect(row('beta-banner').locator('.decided').innerText()).resolves.toBe('Rule 2 served "on".')
    await row('new-checkout').getByRole('button', { name: /new-checkout/ }).click() // collapse: one row expanded in the picture
    await page.screenshot({ path: join(docs, 'devtools-row.png') })

    // styles stay apart both ways
    const styles = await page.evaluate(() => {
      const shadow = document.querySelector('[data-flagstage-devtools]')!.shadowRoot!
      const style = (el: Element) => getComputedStyle(el)
      const t = shadow.querySelector('button.toggle')!
      const key = shadow.querySelector('.key')!
      return {
        toggle: style(t).backgroundColor, toggleFont: style(t).fontFamily, key: style(key).color,
        page: style(document.getElementById('page-button')!).backgroundColor,
      }
    })
    expect(styles.toggle).toBe('rgb(29, 35, 48)')
    expect(styles.toggleFont).not.toContain('Georgia')
    expect(styles.key).not.toBe('rgb(200, 0, 0)')
    expect(styles.page).toBe('rgb(255, 221, 0)')
  })

  it('an override changes what the app renders at once, and survives a reload', async () => {
    await openPage()
    await expect(page.locator('#buy').innerText()).resolves.toMatch(/^Buy now \((blue|green)\)$/)
    await toggle().click()
    const before = await page.locator('#buy').innerText()
    const variant = before.includes('green') ? 'control' : 'treatment'
    const color = variant === 'control' ? 'blue' : 'green'
    await page.getByLabel('checkout-button', { exact: true }).selectOption(variant)
    await expect(page.locator('#buy').innerText()).resolves.toBe(`Buy now (${color})`)
    await expect(row('checkout-button').getAttribute('data-overridden')).resolves.toBe('true')
    await page.getByLabel('new-checkout', { exact: true }).selectOption('on')
    await expect(page.locator('#checkout').innerText()).resolves.toBe('New checkout')
    await page.reload()
    await page.waitForFunction(() => document.title === 'Shop ready')
    await expect(page.locator('#buy').innerText()).resolves.toBe(`Buy now (${color})`)
    await expect(page.locator('#checkout').innerText()).resolves.toBe('New checkout')
    await expect(page.getByLabel('checkout-button', { exact: true }).inputValue()).resolves.toBe(variant)
    await page.getByRole('button', { name: 'Clear all overrides' }).click()
    await expect(page.locator('#buy').innerText()).resolves.toBe(before)
    await page.reload()
    await page.waitForFunction(() => document.title === 'Shop ready')
    await expect(page.locator('#buy').innerText()).resolves.toBe(before)
  })

  it('works with the keyboard alone', async () => {
    await openPage()
    const focused = () => page.evaluate(() => {
      const inner = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement
      return `${inner?.tagName.toLowerCase()}.${inner?.getAttribute('class') ?? ''}|${inner?.getAttribute('aria-label') ?? inner?.textContent ?? ''}`
    })
    const tabTo = async (match: RegExp): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab')
        if (match.test(await focused())) return
      }
      throw new Error(`Tab never reached ${match}; last: ${await focused()}`)
    }
    await tabTo(/^button\.toggle/)
    await page.keyboard.press('Enter')
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('true')
    expect(await focused()).toMatch(/^input/) // the filter gets the focus
    await page.keyboard.type('checkout-b')
    await expect(page.locator('li.row').count()).resolves.toBe(1)
    await tabTo(/^button\.expand\|checkout-button/)
    await page.keyboard.press('Enter')
    await expect(row('checkout-button').locator('.explain').isVisible()).resolves.toBe(true)
    await tabTo(/^select/)
    const before = await page.locator('#buy').innerText()
    // the options are no override, control, treatment: End picks the last one
    await page.keyboard.press('End')
    await expect(page.locator('#buy').innerText()).resolves.toBe('Buy now (green)')
    expect(before).toMatch(/Buy now/)
    await page.keyboard.press('Escape')
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('false')
    expect(await focused()).toMatch(/^button\.toggle/)
  })

  it('unmount leaves nothing behind', async () => {
    await openPage()
    const left = await page.evaluate(async () => {
      const w = window as unknown as { app: { mount(): void; unmount(): void } }
      w.app.unmount()
      const body = document.body.innerHTML
      const globals = Object.keys(window).sort().join(',')
      const sheets = document.styleSheets.length
      w.app.mount()
      const mounted = document.querySelectorAll('[data-flagstage-devtools]').length
      w.app.unmount()
      return {
        mounted, hosts: document.querySelectorAll('[data-flagstage-devtools]').length,
        body: document.body.innerHTML === body, globals: Object.keys(window).sort().join(',') === globals,
        sheets: document.styleSheets.length === sheets, adopted: document.adoptedStyleSheets.length,
      }
    })
    expect(left).toEqual({ mounted: 1, hosts: 0, body: true, globals: true, sheets: true, adopted: 0 })
  })
})
