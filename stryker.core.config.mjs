// `npm run mutation:core`: StrykerJS over src/core with the unit-level suites that exercise it (test/core;
// no servers, browsers or nginx), perTest coverage. STRYKER_GROUP=validate|evaluate|client|rest runs one
// group of files (its own report and incremental file), so a loaded 2-core machine can score src/core a
// group at a time; `node stryker.summary.mjs` prints the per-file table over every group's report.
const groups = {
  validate: ['validate', 'validate-walk', 'json-path', 'closest-name', 'errors'],
  evaluate: ['evaluate', 'evaluator', 'compile', 'conditions', 'hash', 'rollout', 'semver', 'operators'],
  client: ['client', 'client-host', 'default-client', 'source-runner', 'diff', 'config-diff', 'emitter', 'logger', 'warn',
    'snapshot', 'overrides', 'set-overrides', 'openfeature-context'],
  rest: ['describe', 'regex', 'matches', 'cidr', 'in-cidr', 'typegen'],
}
const group = process.env.STRYKER_GROUP ?? 'all'
if (group !== 'all' && !groups[group]) throw new Error(`STRYKER_GROUP: one of ${Object.keys(groups).join(', ')}`)
const files = group === 'all' ? Object.values(groups).flat() : groups[group]
// Test files under test/core (not the 200 kB-userId memory test: over two minutes instrumented).
process.env.STRYKER_TESTS ??= 'test/core'
process.env.STRYKER_SKIP ??= 'test/core/bounded-resources.test.ts'
// Property tests at a quarter of their cases (at least 200): see vitest.stryker.config.ts.
process.env.STRYKER_FC_DIVISOR ??= '4'

export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: files.map((f) => `src/core/${f}.ts`),
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { reportTests: false, reportMutants: false },
  jsonReporter: { fileName: `reports/mutation/core-${group}.json` },
  htmlReporter: { fileName: `reports/mutation/core-${group}.html` },
  incremental: true,
  incrementalFile: `reports/mutation/core-${group}-incremental.json`,
  tempDirName: '.stryker-tmp',
  // Not copied into the sandbox: another run's sandbox (two groups at once in one checkout copied each other's),
  // and folders no test/core suite reads. dist/ stays: typegen's CLI test runs dist/.
  ignorePatterns: ['.stryker-tmp*', '/benchmarks', '/examples', '/docs', '/test-output'],
  cleanTempDir: 'always',
  dryRunTimeoutMinutes: 20,
  thresholds: { high: 95, low: 90, break: null },
}
