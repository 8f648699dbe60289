import { fileURLToPath } from 'node:url'
import { relative } from 'node:path'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

// `npm run mutation` (stryker.config.json): the tests that mirror src/core and src/sources against src/,
// without the typecheck pass (a mutant changes run-time behaviour; tsc has nothing to say about it).
const at = (p: string) => fileURLToPath(new URL(p, import.meta.url))
// STRYKER_TESTS narrows the tests: comma-separated directories or test files (test/core for a run that
// mutates only src/core; stryker.ci.config.json names a few files).
const dirs = (process.env.STRYKER_TESTS ?? 'test/core,test/sources').split(',')
// STRYKER_SKIP leaves test files out (comma-separated): suites too slow under instrumentation to be worth it.
const skip = (process.env.STRYKER_SKIP ?? '').split(',').filter(Boolean)
const files = (ext: string): string[] => dirs.map((d) => (/\.test\.tsx?$/.test(d) ? d : `${d}/**/*.test.${ext}`)).filter((f) => f.endsWith(ext))

// STRYKER_FC_DIVISOR=4 (npm run mutation:core sets it): property tests run a quarter of their cases, at
// least 200 (or all, when fewer). Each mutant re-runs every property that covers it, and a survivor runs all
// of them in full (the suite runs 60 to 2,000 per property); their non-triviality counts ("some units in,
// some out") still hold. A virtual 'fast-check' wraps assert/check and re-exports the rest of the real one.
const fcDivisor = Number(process.env.STRYKER_FC_DIVISOR ?? 1)
const realFastCheck = fileURLToPath(import.meta.resolve('fast-check'))
const cappedFastCheck = {
  name: 'stryker-capped-fast-check',
  enforce: 'pre' as const,
  resolveId: (id: string) => (id === 'fast-check' ? '\0capped-fast-check' : undefined),
  load: (id: string) =>
    id === '\0capped-fast-check'
      ? `import fc from ${JSON.stringify(realFastCheck)}
const cap = (p) => ({ ...p, numRuns: Math.max(Math.ceil((p?.numRuns ?? 100) / ${fcDivisor}), Math.min(p?.numRuns ?? 100, 200)) })
const assert = (property, params) => fc.assert(property, cap(params))
const check = (property, params) => fc.check(property, cap(params))
export default { ...fc, assert, check }
export { assert, check }`
      : undefined,
}

// Stryker stops a mutant's run at its first failing test, so the order of files decides the cost of a
// killed mutant: files that failed last run first (they likely kill the mutant next to the last one), then
// the quickest (vitest's own order is slowest first, to fill parallel workers; Stryker runs one).
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache
    const state = (f: TestSpecification) => cache.getFileTestResults(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`)
    return [...files].sort((a, b) => {
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1
      const sa = state(a)
      const sb = state(b)
      if (!!sa?.failed !== !!sb?.failed) return sa?.failed ? -1 : 1
      return (sa?.duration ?? Infinity) - (sb?.duration ?? Infinity)
    })
  }
}

export default defineConfig({
  plugins: [cappedFastCheck],
  resolve: {
    alias: [
      { find: /^flagstage\/([a-z]+)$/, replacement: at('./src/$1/index.ts') },
      { find: /^flagstage$/, replacement: at('./src/index.ts') },
    ],
  },
  test: {
    sequence: { sequencer: QuickFirst },
    testTimeout: 300_000, // instrumented code is slow (the 100k-id chi-square test alone takes ~20 s), and slower under nice on a loaded machine
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: files('ts'), exclude: skip },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: files('tsx'),
          exclude: skip,
          setupFiles: ['./test/setup-dom.ts'],
        },
      },
    ],
  },
})
