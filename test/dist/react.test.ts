// Checks the built flagstage/react (rule 2 and rule 10): 'use client' survives the build, and the
// adapter imports core as 'flagstage' instead of inlining a second copy. Fails when dist is missing or stale.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dist = join(root, 'dist/react')
const files = { esm: join(dist, 'index.js'), cjs: join(dist, 'index.cjs'), dts: join(dist, 'index.d.ts'), dcts: join(dist, 'index.d.cts') }
const read = (file: string): string => readFileSync(file, 'utf8')

const newestSource = (): number => {
  let newest = 0
  for (const dir of ['src/react', 'src/core', 'src/sources']) {
    for (const name of readdirSync(join(root, dir))) newest = Math.max(newest, statSync(join(root, dir, name)).mtimeMs)
  }
  return newest
}

const exportsList = [
  'Feature', 'FlagsProvider', 'TestFlagsProvider', 'createFlagsHooks', 'useFlag', 'useFlags', 'useFlagsClient', 'useFlagsStatus', 'useValue', 'useVariant',
]

// Code that lives only in core: finding it in dist/react means core was bundled in.
const coreOnly = ['murmur', 'hashPrefix', 'validateConfig', 'compileConfig', 'readSnapshot', 'evaluateInto', 'FlagstageError', 'eventsource-parser']

// No build from inside the run: tsup cleans dist/ while other test files read it, and a build on a loaded
// machine outlasts any timeout. A missing or stale dist/ fails here, saying what to run.
beforeAll(() => {
  if (!existsSync(files.esm) || !existsSync(join(root, 'dist/index.js')) || statSync(files.esm).mtimeMs < newestSource()) {
    throw new Error('dist/react is missing or older than src/: run `npm run build` first')
  }
})

describe('dist/react', () => {
  it("starts the ESM and CJS builds with 'use client'", () => {
    expect(read(files.esm).split('\n')[0]).toBe("'use client';")
    expect(read(files.cjs).split('\n')[0]).toBe("'use client';")
  })

  it("has 'use client' exactly once per file", () => {
    for (const file of [files.esm, files.cjs]) expect(read(file).match(/['"]use client['"]/g)).toHaveLength(1)
  })

  it("imports core as 'flagstage' instead of inlining it", () => {
    expect(read(files.esm)).toMatch(/from ["']flagstage["']/)
    expect(read(files.cjs)).toMatch(/require\(["']flagstage["']\)/)
    for (const file of [files.esm, files.cjs]) {
      const code = read(file)
      for (const name of coreOnly) expect(code, `${name} in ${file}`).not.toContain(name)
    }
  })

  it("takes core types from 'flagstage' in both .d.ts and .d.cts", () => {
    for (const file of [files.dts, files.dcts]) {
      const types = read(file)
      expect(types).toMatch(/from ['"]flagstage['"]/)
      expect(types).not.toMatch(/interface (ClientOptions|Client|Snapshot|Status)\b/)
    }
  })

  it('never imports react-dom or node built-ins', () => {
    for (const file of [files.esm, files.cjs]) expect(read(file)).not.toMatch(/react-dom|node:|["'](fs|http|async_hooks)["']/)
  })

  it('exports the explicit list of names from both import and require', async () => {
    const esm = (await import(pathToFileURL(files.esm).href)) as Record<string, unknown>
    const cjs = createRequire(import.meta.url)(files.cjs) as Record<string, unknown>
    expect(Object.keys(esm).sort()).toEqual(exportsList)
    expect(Object.keys(cjs).filter((k) => k !== '__esModule').sort()).toEqual(exportsList)
  })
})
