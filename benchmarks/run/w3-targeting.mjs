// w3-targeting: see lib/workloads.mjs (WORKLOADS.w3) for the definition and lib/per-eval.mjs for the driver.
//   node run/w3-targeting.mjs [--smoke] [--only=flagstage,growthbook]
import { fileURLToPath } from 'node:url'
import { cli, runPerEval } from '../lib/per-eval.mjs'

export const run = (opts) => runPerEval('w3', opts)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await cli('w3')
  process.exit(0)
}
