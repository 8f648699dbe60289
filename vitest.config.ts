import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// FLAGSTAGE_TEST_DIST=esm|cjs runs the same suite against the built artifacts.
const dist = process.env.FLAGSTAGE_TEST_DIST
const ext = dist === 'cjs' ? 'cjs' : 'js'
const at = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const alias = dist
  ? [
      { find: /^flagstage\/([a-z]+)$/, replacement: at(`./dist/$1/index.${ext}`) },
      { find: /^flagstage$/, replacement: at(`./dist/index.${ext}`) },
    ]
  : [
      { find: /^flagstage\/([a-z]+)$/, replacement: at('./src/$1/index.ts') },
      { find: /^flagstage$/, replacement: at('./src/index.ts') },
    ]

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/**/*.test.tsx'],
          setupFiles: ['./test/setup-dom.ts'],
        },
      },
    ],
  },
})
