// Checks the built flagstage/openfeature (`npx tsup` first): no runtime import of the OpenFeature SDKs
// (optional peers: a server app need not install the web SDK), core reached only as 'flagstage', and
// the ESM and CJS builds both drive the real server SDK in a fresh process.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dist = (file: string): string => join(root, 'dist', file)
const built = ['openfeature/index.js', 'openfeature/index.cjs', 'openfeature/index.d.ts'].every((f) => existsSync(dist(f)))
const read = (file: string): string => readFileSync(dist(file), 'utf8')

const run = (args: string[], code: string): unknown =>
  JSON.parse(execFileSync(process.execPath, [...args, '-e', code], { cwd: root, encoding: 'utf8' }))

const probe = `
const provider = new FlagstageProvider({ bootstrap: { schemaVersion: 1, revision: 'd', flags: { f: { enabled: true, rules: [{ serve: 'on' }] } } } })
OpenFeature.setProviderAndWait('dist', provider)
  .then(() => OpenFeature.getClient('dist').getBooleanDetails('f', false, { targetingKey: 'u' }))
  .then((d) => { console.log(JSON.stringify({ value: d.value, reason: d.reason, revision: d.flagMetadata.revision })); return OpenFeature.close() })`

describe.skipIf(!built)('dist/openfeature (built package; run `npx tsup` first)', SLOW, () => {
  it.each(['openfeature/index.js', 'openfeature/index.cjs'])('%s loads no OpenFeature SDK and no core copy', (file) => {
    const code = read(file)
    expect(code).not.toMatch(/@openfeature\//)
    expect(code).not.toMatch(/(from|require\()\s*["']\.{1,2}\//)
    for (const marker of ['validateConfig', 'compileConfig', 'Math.imul', 'murmur']) expect(code, marker).not.toContain(marker)
  })

  it('types come from @openfeature/core and flagstage, imported as types', () => {
    const types = read('openfeature/index.d.ts')
    expect(types).toMatch(/from '@openfeature\/core';/)
    expect(types).not.toMatch(/^import[^\n]*@openfeature\/(server|web)-sdk/m)
    expect(types).toMatch(/from 'flagstage';/)
  })

  it('drives the server SDK from ESM and from CJS', () => {
    const expected = { value: true, reason: 'STATIC', revision: 'd' }
    expect(run(['--input-type=module'], `import { OpenFeature } from '@openfeature/server-sdk'
      import { FlagstageProvider } from 'flagstage/openfeature'${probe}`)).toEqual(expected)
    expect(run([], `const { OpenFeature } = require('@openfeature/server-sdk')
      const { FlagstageProvider } = require('flagstage/openfeature')${probe}`)).toEqual(expected)
  })
})
