// One flagstage per process whichever format loads it (`npm run build` first): an app that
// `import`s flagstage and a dependency that `require`s it share the default client, and a
// FlagstageError from either build is `instanceof` the other's class.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = existsSync(`${root}dist/index.js`) && existsSync(`${root}dist/index.cjs`)

const run = (code: string): unknown =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }))

describe.skipIf(!built && !process.env.CI)('ESM and CJS builds in one Node process (built package)', SLOW, () => {
  it('share one request context: withContext() from the ESM flagstage/node, isEnabled() from the CJS one', () => {
    const out = run(`
      import { createRequire } from 'node:module'
      import { configure } from 'flagstage'
      import * as esmNode from 'flagstage/node'
      const cjsNode = createRequire(import.meta.url)('flagstage/node')
      configure({ bootstrap: { schemaVersion: 1, flags: { pro: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] } } } })
      const inside = await esmNode.withContext({ plan: 'pro' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return { cjs: cjsNode.isEnabled('pro'), ctx: cjsNode.currentContext(), esm: esmNode.isEnabled('pro') }
      })
      const reverse = cjsNode.withContext({ plan: 'pro' }, () => esmNode.currentContext()?.plan)
      console.log(JSON.stringify({ twoModules: esmNode.isEnabled !== cjsNode.isEnabled, inside, reverse, outside: cjsNode.isEnabled('pro') }))
    `)
    expect(out).toEqual({ twoModules: true, inside: { cjs: true, ctx: { plan: 'pro' }, esm: true }, reverse: 'pro', outside: false })
  })

  it('share one operator registry: registerOperators() in one build lets a client of the other load matches / inCidr', () => {
    const out = run(`
      import { createRequire } from 'node:module'
      import * as esm from 'flagstage'
      const cjs = createRequire(import.meta.url)('flagstage')
      const uses = (op, cond) => ({ schemaVersion: 1, flags: { f: { enabled: true, rules: [{ if: { attr: 'a', op, ...cond }, serve: 'on' }] } } })
      const matches = uses('matches', { value: '^b.t$' })
      const inCidr = uses('inCidr', { values: ['10.0.0.0/8'] })
      const load = (build, config, a) => {
        try { build.validateConfig(config) } catch (e) { return e.code }
        return build.createClient({ bootstrap: config, context: { a } }).isEnabled('f')
      }
      const before = [load(cjs, matches, 'bat'), load(esm, inCidr, '10.1.2.3')]
      esm.registerOperators(esm.matchesOperator)
      const afterEsm = [load(cjs, matches, 'bat'), load(cjs, matches, 'boat'), load(esm, matches, 'bit'), load(cjs, inCidr, '10.1.2.3')]
      cjs.registerOperators(cjs.inCidrOperator)
      const afterCjs = [load(esm, inCidr, '10.1.2.3'), load(esm, inCidr, '11.0.0.1'), load(cjs, inCidr, '10.0.0.1')]
      console.log(JSON.stringify({ twoModules: esm.registerOperators !== cjs.registerOperators, before, afterEsm, afterCjs }))
    `)
    expect(out).toEqual({
      twoModules: true,
      before: ['OPERATOR_NOT_REGISTERED', 'OPERATOR_NOT_REGISTERED'],
      afterEsm: [true, false, true, 'OPERATOR_NOT_REGISTERED'],
      afterCjs: [true, false, true],
    })
  })

  it('share one table of clients: setOverrides / getOverrides / describeFlag from one build reach a client of the other', () => {
    const out = run(`
      import { createRequire } from 'node:module'
      import * as esm from 'flagstage'
      const cjs = createRequire(import.meta.url)('flagstage')
      const config = { schemaVersion: 1, flags: {
        button: { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
        beta: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] },
      } }
      const esmClient = esm.createClient({ bootstrap: config })
      const cjsClient = cjs.createClient({ bootstrap: config })
      cjs.setOverrides(esmClient, { button: 'treatment' })
      esm.setOverrides(cjsClient, { beta: 'on' })
      console.log(JSON.stringify({
        twoModules: esm.setOverrides !== cjs.setOverrides,
        esmClient: { variant: esmClient.variant('button').name, overrides: cjs.getOverrides(esmClient) },
        cjsClient: { on: cjsClient.isEnabled('beta'), overrides: esm.getOverrides(cjsClient) },
        described: [cjs.describeFlag(esmClient, 'beta')?.key, esm.describeFlag(cjsClient, 'button')?.key],
      }))
    `)
    expect(out).toEqual({
      twoModules: true,
      esmClient: { variant: 'treatment', overrides: { button: 'treatment' } },
      cjsClient: { on: true, overrides: { beta: 'on' } },
      described: ['beta', 'button'],
    })
  })

  it('share one default client and one FlagstageError', () => {
    const out = run(`
      import { createRequire } from 'node:module'
      import * as esm from 'flagstage'
      const cjs = createRequire(import.meta.url)('flagstage')
      const config = { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ serve: 'on' }] } } }
      const loaded = [import.meta.resolve('flagstage'), createRequire(import.meta.url).resolve('flagstage')].map((p) => p.replace(/^.*dist\\//, ''))
      const twoModules = esm.configure !== cjs.configure
      const beforeCjs = cjs.isEnabled('f')
      const client = esm.configure({ bootstrap: config })
      const viaCjs = { same: cjs.getDefaultClient() === client, on: cjs.isEnabled('f') }
      const other = cjs.configure({ bootstrap: { ...config, flags: { f: { enabled: false } } } })
      const viaEsm = { same: esm.getDefaultClient() === other, on: esm.isEnabled('f') }
      const esmError = new esm.FlagstageError('SOURCE_ERROR', 'x')
      const cjsError = new cjs.FlagstageError('SOURCE_ERROR', 'x')
      let validated
      try { cjs.validateConfig({}) } catch (e) { validated = e instanceof esm.FlagstageError && e.code }
      console.log(JSON.stringify({
        loaded, twoModules, beforeCjs, viaCjs, viaEsm, validated,
        instanceof: [esmError instanceof cjs.FlagstageError, cjsError instanceof esm.FlagstageError, cjsError instanceof Error],
        guards: [esm.isFlagstageError(cjsError), cjs.isFlagstageError(esmError)],
        notErrors: [new Error('x') instanceof esm.FlagstageError, { name: 'FlagstageError', code: 'X' } instanceof esm.FlagstageError, null instanceof cjs.FlagstageError],
      }))
    `)
    expect(out).toEqual({
      loaded: ['index.js', 'index.cjs'],
      twoModules: true,
      beforeCjs: false,
      viaCjs: { same: true, on: true },
      viaEsm: { same: true, on: false },
      validated: 'INVALID_CONFIG',
      instanceof: [true, true, true],
      guards: [true, true],
      notErrors: [false, false, false],
    })
  })
})
