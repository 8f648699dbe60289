import { createClient } from 'flagstage'
import { coldConfigJson } from './configs/generate.mjs'
const json = coldConfigJson('flagstage', 10000)
for (let i = 0; i < 15; i++) {
  const t0 = performance.now()
  const c = createClient({ bootstrap: JSON.parse(json) })
  c.forContext({ userId: 'u' }).isEnabled('flag-12')
  c.close()
  if (i % 5 === 0 || i === 14) console.log(i, (performance.now() - t0).toFixed(1), 'ms')
}
