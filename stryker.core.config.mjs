// `npm run mutation:core`: StrykerJS over src/core with the unit-level suites that exercise it (test/core;
// no servers, browsers or nginx), perTest coverage. STRYKER_GROUP=validate|evaluate|client|rest runs one
// group of files (its own report and incremental file), so a loaded 2-core machine can score src/core a
// group at a time; `node stryker.summary.mjs` prints the per-file table over every group's report.
// STRYKER_GROUP=sources scores src/sources (every file) against test/sources alone (real node:http servers
// on 127.0.0.1 and real timers), its report reports/mutation/sources.json; 'all' stays src/core only.
const groups = {
  validate: ['validate', 'validate-walk', 'json-path', 'closest-name', 'errors'],
  evaluate: ['evaluate', 'evaluator', 'compile', 'conditions', 'hash', 'rollout', 'semver', 'operators'],
  client: ['client', 'client-host', 'default-client', 'source-runner', 'diff', 'config-diff', 'emitter', 'logger', 'warn',
    'snapshot', 'overrides', 'set-overrides', 'openfeature-context'],
  rest: ['describe', 'regex', 'matches', 'cidr', 'in-cidr', 'typegen'],
}
// Groups outside src/core carry their own files, tests and skipped suites.
const other = {
  sources: { mutate: ['src/sources/*.ts'], tests: 'test/sources', skip: '', report: 'sources' },
}
const group = process.env.STRYKER_GROUP ?? 'all'
if (group !== 'all' && !groups[group] && !other[group]) {
  throw new Error(`STRYKER_GROUP: one of ${[...Object.keys(groups), ...Object.keys(other)].join(', ')}`)
}
const files = group === 'all' ? Object.values(groups).flat() : groups[group] ?? []
const mutate = other[group]?.mutate ?? files.map((f) => `src/core/${f}.ts`)
const report = other[group]?.report ?? `core-${group}`
// Test files under test/core (not the 200 kB-userId memory test: over two minutes instrumented).
process.env.STRYKER_TESTS ??= other[group]?.tests ?? 'test/core'
process.env.STRYKER_SKIP ??= other[group]?.skip ?? 'test/core/bounded-resources.test.ts'
// Property tests at a quarter of their cases (at least 200): see vitest.stryker.config.ts.
process.env.STRYKER_FC_DIVISOR ??= '4'

export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { reportTests: false, reportMutants: false },
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  incremental: true,
  incrementalFile: `reports/mutation/${report}-incremental.json`,
  tempDirName: '.stryker-tmp',
  // Not copied into the sandbox: another run's sandbox (two groups at once in one checkout copied each other's),
  // and folders no test/core suite reads. dist/ stays: typegen's CLI test runs dist/.
  ignorePatterns: ['.stryker-tmp*', '/benchmarks', '/examples', '/docs', '/test-output'],
  cleanTempDir: 'always',
  dryRunTimeoutMinutes: 20,
  thresholds: { high: 95, low: 90, break: null },
}
