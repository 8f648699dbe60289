import { createClient, validateConfig } from 'flagstage'
import { coldConfigJson } from './configs/generate.mjs'
const json = coldConfigJson('flagstage', 10000)
const t = (f) => { const t0 = performance.now(); const r = f(); return [performance.now() - t0, r] }
for (let i = 0; i < 8; i++) {
  globalThis.gc()
  const [p, parsed] = t(() => JSON.parse(json))
  globalThis.gc()
  const [v] = t(() => validateConfig(parsed))
  globalThis.gc()
  const [c, client] = t(() => createClient({ bootstrap: parsed }))
  const [e] = t(() => client.forContext({ userId: 'u' }).isEnabled('flag-12'))
  client.close()
  console.log(`parse ${p.toFixed(1)}  validate ${v.toFixed(1)}  createClient(validate+compile) ${c.toFixed(1)}  eval ${e.toFixed(2)}`)
}
