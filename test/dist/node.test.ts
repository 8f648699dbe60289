// Checks the built flagstage/node (`npx tsup` first): it reaches core only as 'flagstage' (no
// inlined copy, in JS or in types), and at runtime it shares core's module instance (one default
// client) with the app's own `import 'flagstage'` / `require('flagstage')`.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dist = (file: string): string => join(root, 'dist', file)
const built = ['index.js', 'index.cjs', 'node/index.js', 'node/index.cjs', 'node/index.d.ts', 'node/index.d.cts'].every((f) => existsSync(dist(f)))
const read = (file: string): string => readFileSync(dist(file), 'utf8')

const EXPORTS = [
  'currentContext', 'currentFlags', 'evaluatedHandler', 'explain', 'fastifyFlags', 'file', 'fileCache',
  'flagsMiddleware', 'flagsOf', 'isEnabled', 'nodeRequestOf', 'sendResponse', 'toFastify', 'toNode', 'toNodeRequest',
  'value', 'variant', 'withContext',
]

// Markers of core's implementation: names of internal functions and murmur3's constants.
const CORE_MARKERS = ['hashPrefix', 'hashFrom', 'validateConfig', 'compileConfig', 'evaluateInto', 'snapshotOf',
  'createEmitter', 'Math.imul', 'cc9e2d51', '3432918353', '1b873593', 'e6546b64', 'murmur']

/** Run a script in a fresh node process from the package root, so 'flagstage' resolves through "exports". */
const node = (args: string[], code: string): unknown =>
  JSON.parse(execFileSync(process.execPath, [...args, '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } }))

const probe = (load: string): string => `${load}
const config = { schemaVersion: 1, revision: 'dist', flags: { f: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] } } }
const client = core.configure({ bootstrap: config, context: { plan: 'free' } })
const out = {
  exports: Object.keys(adapter).filter((k) => k !== 'default' && k !== '__esModule').sort(),
  sameDefaultClient: adapter.currentFlags() === core.getDefaultClient() && core.getDefaultClient() === client,
  outside: adapter.isEnabled('f'),
  inside: adapter.withContext({ plan: 'pro' }, () => adapter.isEnabled('f')),
  explicitClient: adapter.withContext({ plan: 'pro' }, () => adapter.explain('f').revision,
    { client: core.createClient({ bootstrap: { ...config, revision: 'own' } }) }),
  FlagstageErrorShared: new Promise((r) => adapter.file('/nonexistent/flags.json').start(() => {}, (e) => r(e instanceof core.FlagstageError && e.code))),
}
Promise.resolve(out.FlagstageErrorShared).then((v) => console.log(JSON.stringify({ ...out, FlagstageErrorShared: v, resolved })))`

describe.skipIf(!built)('dist/node (built package; run `npx tsup` first)', SLOW, () => {
  it('looks for markers that core\'s own build really contains', () => {
    // If core renames its internals, most markers vanish from dist/index.js: update the list.
    const core = read('index.js')
    expect(CORE_MARKERS.filter((marker) => core.includes(marker)).length).toBeGreaterThanOrEqual(8)
  })

  it.each(['node/index.js', 'node/index.cjs'])('%s reaches core only through "flagstage"', (file) => {
    const code = read(file)
    if (file.endsWith('.js')) {
      expect(code).toMatch(/from "flagstage";/)
      expect(code).not.toMatch(/require\(/)
    } else {
      expect(code).toMatch(/require\("flagstage"\)/)
    }
    // No relative import could smuggle core in (the bundle is one file).
    expect(code).not.toMatch(/(from|require\()\s*["']\.{1,2}\//)
    for (const marker of CORE_MARKERS) expect(code, marker).not.toContain(marker)
    // node: built-ins keep their prefix (tsup's removeNodeProtocol: false).
    expect(code).toContain('"node:async_hooks"')
    expect(code.length).toBeLessThan(20_000)
  })

  it.each(['node/index.d.ts', 'node/index.d.cts'])('%s takes core types from "flagstage" and types req.flags', (file) => {
    const types = read(file)
    expect(types).toMatch(/from 'flagstage';/)
    for (const name of ['Evaluator', 'Config', 'Context', 'Client', 'Snapshot', 'JsonValue', 'Source', 'Cache']) {
      expect(types, name).not.toMatch(new RegExp(`(interface|type) ${name}\\b`))
    }
    expect(types).toMatch(/declare module 'http' \{\s*interface IncomingMessage \{[\s\S]*flags: Evaluator;/)
  })

  it('shares core with the app in ESM: one default client, one FlagstageError', () => {
    const out = node(['--input-type=module'], probe(`
      import * as core from 'flagstage'
      import * as adapter from 'flagstage/node'
      const resolved = [import.meta.resolve('flagstage'), import.meta.resolve('flagstage/node')].map((u) => u.replace(/^.*\\/dist\\//, 'dist/'))`))
    expect(out).toEqual({
      exports: EXPORTS, sameDefaultClient: true, outside: false, inside: true, explicitClient: 'own',
      FlagstageErrorShared: 'SOURCE_ERROR', resolved: ['dist/index.js', 'dist/node/index.js'],
    })
  })

  it('shares core with the app in CommonJS: one default client, one FlagstageError', () => {
    const out = node([], probe(`
      const core = require('flagstage')
      const adapter = require('flagstage/node')
      const resolved = [require.resolve('flagstage'), require.resolve('flagstage/node')].map((p) => p.replace(/^.*\\/dist\\//, 'dist/'))`))
    expect(out).toEqual({
      exports: EXPORTS, sameDefaultClient: true, outside: false, inside: true, explicitClient: 'own',
      FlagstageErrorShared: 'SOURCE_ERROR', resolved: ['dist/index.cjs', 'dist/node/index.cjs'],
    })
  })
})
