// w1-plain: see lib/workloads.mjs (WORKLOADS.w1) for the definition and lib/per-eval.mjs for the driver.
//   node run/w1-plain.mjs [--smoke] [--only=flagstage,growthbook]
import { fileURLToPath } from 'node:url'
import { cli, runPerEval } from '../lib/per-eval.mjs'

export const run = (opts) => runPerEval('w1', opts)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await cli('w1')
  process.exit(0)
}
