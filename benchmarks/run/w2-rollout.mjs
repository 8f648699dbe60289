// w2-rollout: see lib/workloads.mjs (WORKLOADS.w2) for the definition and lib/per-eval.mjs for the driver.
//   node run/w2-rollout.mjs [--smoke] [--only=flagstage,growthbook]
import { fileURLToPath } from 'node:url'
import { cli, runPerEval } from '../lib/per-eval.mjs'

export const run = (opts) => runPerEval('w2', opts)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await cli('w2')
  process.exit(0)
}
