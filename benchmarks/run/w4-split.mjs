// w4-split: see lib/workloads.mjs (WORKLOADS.w4) for the definition and lib/per-eval.mjs for the driver.
//   node run/w4-split.mjs [--smoke] [--only=flagstage,growthbook]
import { fileURLToPath } from 'node:url'
import { cli, runPerEval } from '../lib/per-eval.mjs'

export const run = (opts) => runPerEval('w4', opts)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await cli('w4')
  process.exit(0)
}
