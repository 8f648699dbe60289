// Bundles the built core (`npm run build` first) the way apps do, with esbuild: a single import
// must carry only what it uses, from dist/ as from src/ (no module-level work keeps code alive).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = existsSync(`${root}dist/index.js`) && existsSync(`${root}dist/index.cjs`)

/** Bundle `code` (importing from the built 'flagstage') for a browser, minified like production. */
export const bundle = async (code: string, define: Record<string, string> = {}): Promise<string> => {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent',
    alias: { flagstage: `${root}dist/index.js` }, define,
  })
  return result.outputFiles[0]!.text
}

// Strings only the validator, the compiled evaluator, the hash and the client hold.
const VALIDATOR = ['nested deeper than', 'weights sum to', 'expected rollout or split', 'semverEq', 'a regex of at most']
const EVALUATOR = ['3432918353', '-862048943', 'FLAG_NOT_FOUND', 'TYPE_MISMATCH', 'TARGETING_MATCH']
const CLIENT = ['no config loaded', 'impression', 'stale']

describe.skipIf(!built && !process.env.CI)('tree-shaking dist/index.js (built package)', SLOW, () => {
  it('keeps neither the validator nor the evaluator for `isEnabled` alone', async () => {
    const code = await bundle(`import { isEnabled } from 'flagstage'; console.log(isEnabled('x'))`)
    for (const marker of [...VALIDATOR, ...EVALUATOR, ...CLIENT]) expect(code, marker).not.toContain(marker)
    expect(code).toContain('configure()') // the read-before-configure warning: the one thing isEnabled does
  })

  it('keeps the validator and evaluator once createClient is used', async () => {
    const code = await bundle(`import { createClient, staticSource } from 'flagstage'; console.log(createClient({ source: staticSource({}) }))`)
    for (const marker of [...VALIDATOR.slice(0, 3), ...EVALUATOR.slice(2)]) expect(code, marker).toContain(marker)
  })

  it('leaves nothing of sources that are imported but not used', async () => {
    const code = await bundle(`import { createClient, staticSource, http, sse } from 'flagstage'; console.log(createClient({ source: staticSource({}) }))`)
    for (const marker of ['If-None-Match', 'if-none-match', 'text/event-stream', 'last-event-id']) expect(code, marker).not.toContain(marker)
  })
})
