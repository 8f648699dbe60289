import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// `npm run mutation` (stryker.config.json): the tests that mirror src/core and src/sources against src/,
// without the typecheck pass (a mutant changes run-time behaviour; tsc has nothing to say about it).
const at = (p: string) => fileURLToPath(new URL(p, import.meta.url))
// STRYKER_TESTS narrows the tests: comma-separated directories or test files (test/core for a run that
// mutates only src/core; stryker.ci.config.json names a few files).
const dirs = (process.env.STRYKER_TESTS ?? 'test/core,test/sources').split(',')
const files = (ext: string): string[] => dirs.map((d) => (/\.test\.tsx?$/.test(d) ? d : `${d}/**/*.test.${ext}`)).filter((f) => f.endsWith(ext))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^flagstage\/([a-z]+)$/, replacement: at('./src/$1/index.ts') },
      { find: /^flagstage$/, replacement: at('./src/index.ts') },
    ],
  },
  test: {
    testTimeout: 120_000, // instrumented code is slow: the 100k-id chi-square test alone takes ~20 s
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: files('ts') },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: files('tsx'),
          setupFiles: ['./test/setup-dom.ts'],
        },
      },
    ],
  },
})
