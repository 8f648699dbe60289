// Development warnings through the built core (`npm run build` first): a production bundle drops
// their text (bundlers replace `process.env.NODE_ENV`), an unbundled script where there is no
// `process` runs without throwing, and "no config loaded" is reported in every build.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = existsSync(`${root}dist/index.js`)

const bundle = async (code: string, options: { define?: Record<string, string>; minify?: boolean; format?: 'esm' | 'iife' } = {}): Promise<string> => {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true, minify: options.minify ?? true, format: options.format ?? 'esm', platform: 'neutral', write: false,
    logLevel: 'silent', alias: { flagstage: `${root}dist/index.js` }, define: options.define ?? {},
  })
  return result.outputFiles[0]!.text
}

// Every development warning core can print, by a phrase of its text.
const WARNINGS = ['read before configure()', "add client.on('error')", 'listener threw', 'subscriber threw', 'stop() threw']

// An app that uses everything that can warn: the default client, a failing source, listeners.
const APP = `
import { configure, createClient, isEnabled, staticSource } from 'flagstage'
const logged = []
const logger = { warn: (m) => logged.push(['warn', m]), error: (m) => logged.push(['error', m]) }
isEnabled('before')
const client = createClient({ source: staticSource('<!doctype html><html>'), logger })
client.on('change', () => { throw new Error('boom') })
client.subscribe(() => { throw new Error('boom') })
configure({ logger })
globalThis.done = new Promise((r) => setTimeout(r, 10)).then(() => ({ logged, on: isEnabled('before') }))
`

describe.skipIf(!built && !process.env.CI)('development warnings in bundles of dist/ (built package)', SLOW, () => {
  it('a production bundle (define NODE_ENV=production) holds no warning text, but keeps the "no config" report', async () => {
    const code = await bundle(APP, { define: { 'process.env.NODE_ENV': '"production"' } })
    for (const warning of WARNINGS) expect(code, warning).not.toContain(warning)
    expect(code).not.toContain('process.env')
    expect(code).toContain('no config loaded')
  })

  it('a development bundle keeps them', async () => {
    const code = await bundle(APP, { define: { 'process.env.NODE_ENV': '"development"' } })
    for (const warning of WARNINGS.slice(0, 3)) expect(code, warning).toContain(warning)
  })

  it('runs unbundled where there is no `process` (a browser without a bundler): no throw, errors still reported', async () => {
    const code = await bundle(APP, { minify: false, format: 'iife' })
    expect(code).toContain('process.env.NODE_ENV') // not replaced: the guard must not throw
    const sandbox: Record<string, unknown> = { setTimeout, clearTimeout, queueMicrotask, console: { warn() {}, error() {} } }
    runInNewContext(code, sandbox)
    expect('process' in sandbox).toBe(false)
    const { logged, on } = (await sandbox.done) as { logged: [string, string][]; on: boolean }
    expect(on).toBe(false)
    // Without `process` nobody can tell development from production: only the every-build report.
    expect(logged).toEqual([['error', expect.stringContaining('no config loaded')]])
  })

  it('in Node (process present, not production) warns through the logger', async () => {
    const code = await bundle(APP, { minify: false, format: 'iife' })
    const sandbox: Record<string, unknown> = { setTimeout, clearTimeout, queueMicrotask, console, process: { env: { NODE_ENV: 'development' } } }
    runInNewContext(code, sandbox)
    const { logged } = (await sandbox.done) as { logged: [string, string][] }
    expect(logged).toContainEqual(['error', expect.stringContaining('no config loaded')])
    expect(logged).toContainEqual(['warn', expect.stringContaining('a subscriber threw')])
  })
})
