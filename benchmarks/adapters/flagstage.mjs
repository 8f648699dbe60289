// flagstage, through the package's public entry (`flagstage` resolves to ../dist via the file: dependency).
// Rows:
// - `forContext(ctx).isEnabled(key)`: what a server writes per request (DESIGN section 8), the row the
//   targets are checked on. W4 uses `forContext(ctx).value(key, 'control')`.
// - `setContext(ctx) + isEnabled(key)`: the browser-style client switching user every call, for reference
//   (a browser never does this per evaluation; it shows what setContext costs).
// Config comes in as `bootstrap` (no source: nothing touches the network).
import { createClient } from 'flagstage'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ userId: u.userId, country: u.country, plan: u.plan })

export default {
  id: 'flagstage',
  label: 'flagstage',
  pkg: 'flagstage',
  version: pkgVersion('flagstage'),
  group: 'flagstage',
  async setup(workload, users) {
    const config = workloadConfig('flagstage')
    const server = createClient({ bootstrap: config })
    const browser = createClient({ bootstrap: config, context: {} })
    const flag = workload.flag
    const contexts = users.map(toContext)
    const entries = workload.type === 'boolean'
      ? [
          { name: 'flagstage forContext(ctx).isEnabled', fn: (c) => server.forContext(c).isEnabled(flag), contexts, primary: true },
          { name: 'flagstage setContext(ctx) + isEnabled', fn: (c) => { browser.setContext(c); return browser.isEnabled(flag) }, contexts },
        ]
      : [
          { name: "flagstage forContext(ctx).value(key, 'control')", fn: (c) => server.forContext(c).value(flag, 'control'), contexts, primary: true },
          { name: 'flagstage setContext(ctx) + value', fn: (c) => { browser.setContext(c); return browser.value(flag, 'control') }, contexts },
        ]
    return { entries, close: () => { server.close(); browser.close() } }
  },
  async load(json) {
    const client = createClient({ bootstrap: JSON.parse(json) })
    return { evaluate: (flag, u) => client.forContext(toContext(u)).isEnabled(flag), close: () => client.close() }
  },
}
