// Memory: V8 heap retained by a client holding the 10,000-flag config, one child process per SDK
// (`--expose-gc`). In the child: generate the JSON string, gc twice, read heapUsed; load the client and evaluate
// one flag; gc twice, read heapUsed again. The difference is what the client keeps alive (its parsed/compiled
// config, indexes, caches). The JSON string itself exists in both readings, so it is not counted (nor would be a
// client that kept only that string). A "JSON.parse only" row gives the size of the bare parsed flagstage config.
//   node run/memory.mjs [--smoke] [--only=flagstage,growthbook]
import { fileURLToPath } from 'node:url'
import { SDK_IDS, loadAdapter } from '../adapters/index.mjs'
import { coldConfigJson, COLD_FLAG } from '../configs/generate.mjs'
import { runChild, scenarioMain } from '../lib/child.mjs'
import { COLD_CONTEXT } from '../lib/workloads.mjs'

const SELF = fileURLToPath(import.meta.url)

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc()
    await new Promise((r) => setImmediate(r))
  }
}

let keep // holds the client across the second reading

const child = async ([id, n]) => {
  const json = coldConfigJson(id === 'json-parse' ? 'flagstage' : id, Number(n))
  const adapter = id === 'json-parse' ? undefined : await loadAdapter(id)
  const prepared = adapter?.prepare ? await adapter.prepare(json) : undefined
  // Load and drop one client first, so lazily created module-level state is not billed to the measured one.
  if (adapter) {
    const small = coldConfigJson(id, 10)
    const smallPrepared = adapter.prepare ? await adapter.prepare(small) : undefined
    const warm = await adapter.load(small, smallPrepared)
    await warm.evaluate('flag-0', COLD_CONTEXT)
    await warm.close?.()
    smallPrepared?.cleanup?.()
  }
  await settle()
  const before = process.memoryUsage()
  if (adapter) {
    keep = await adapter.load(json, prepared)
    await keep.evaluate(COLD_FLAG, COLD_CONTEXT)
  } else {
    keep = JSON.parse(json)
  }
  await settle()
  const after = process.memoryUsage()
  const result = {
    id,
    n: Number(n),
    heapBytes: after.heapUsed - before.heapUsed,
    externalBytes: after.external - before.external,
    alive: keep !== undefined,
  }
  prepared?.cleanup?.()
  return result
}

export const run = async ({ smoke = false, only } = {}) => {
  const n = smoke ? 1000 : 10000
  const results = []
  for (const id of ['json-parse', ...(only ?? SDK_IDS)]) {
    results.push({ id, n, ...(await runChild(SELF, [id, String(n)], { nodeFlags: ['--expose-gc'] })) })
  }
  return { n, results }
}

export const memoryTable = ({ n, results }) => {
  const base = results.find((r) => r.id === 'json-parse')
  const lines = [
    `### Memory: heap retained by a client holding ${n.toLocaleString('en-US')} flags`,
    '',
    '| SDK | heap (MiB) | × bare JSON.parse of the flagstage config | external (MiB) |',
    '| --- | ---: | ---: | ---: |',
  ]
  for (const r of results) {
    if (r.error) { lines.push(`| ${r.id} | ${r.error} | | |`); continue }
    const name = r.id === 'json-parse' ? 'JSON.parse only (flagstage format, reference)' : r.id === 'flagstage' ? '**flagstage**' : r.id
    lines.push(`| ${name} | ${(r.heapBytes / 2 ** 20).toFixed(2)} | ${base && !base.error ? (r.heapBytes / base.heapBytes).toFixed(2) + 'x' : ''} | ${(r.externalBytes / 2 ** 20).toFixed(2)} |`)
  }
  return lines.join('\n')
}

await scenarioMain(import.meta.url, { child, report: async ({ smoke, only }) => memoryTable(await run({ smoke, only })), exit: true })
