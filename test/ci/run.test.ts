// .ci/run itself: its counting (.ci/lib.sh + .ci/vitest-counts.mjs) on crafted vitest reports and on real
// vitest runs of suites that go wrong (test/ci/fixtures), its install step with a fake apt-get, and the
// gated-suite helper. A green CI must mean every stage ran and said how it went.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findTool, requireTool } from '../helpers/requires.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const LAST_LINE = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/

type Status = 'passed' | 'failed' | 'skipped' | 'todo' | 'pending'
interface FileSpec { name: string; tests: Status[]; loadError?: boolean }

/** A vitest JSON report (the fields .ci/vitest-counts.mjs reads), consistent unless the test breaks it. */
const report = (files: FileSpec[]): Record<string, unknown> => {
  const all = files.flatMap((f) => f.tests)
  const n = (...s: Status[]): number => all.filter((t) => s.includes(t)).length
  const failed = n('failed') > 0 || files.some((f) => f.loadError)
  return {
    numTotalTestSuites: files.length, numTotalTests: all.length, numPassedTests: n('passed'), numFailedTests: n('failed'),
    numPendingTests: n('skipped', 'pending'), numTodoTests: n('todo'), success: !failed, startTime: 0,
    testResults: files.map((f) => ({
      name: `/repo/${f.name}`, message: f.loadError ? 'boom' : '',
      status: f.loadError || f.tests.includes('failed') ? 'failed' : 'passed',
      assertionResults: f.tests.map((status, i) => ({ title: `t${i}`, fullName: `t${i}`, status, failureMessages: [] })),
    })),
  }
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'flagstage-ci-'))

/** `node .ci/vitest-counts.mjs` on a report text. */
const counts = (text: string): { status: number | null; stdout: string; stderr: string } => {
  const dir = tmp()
  writeFileSync(join(dir, 'r.json'), text)
  const run = spawnSync(process.execPath, [join(root, '.ci/vitest-counts.mjs'), join(dir, 'r.json')], { encoding: 'utf8' })
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }
}

/** Source .ci/lib.sh in bash, run `script`, return the exit status and output lines. */
const lib = (script: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; lines: string[]; out: string } => {
  const run = spawnSync('/bin/bash', ['-c', `source .ci/lib.sh\n${script}`], {
    cwd: root, encoding: 'utf8', env: { ...env, OUT: tmp() }, timeout: 240_000,
  })
  const out = run.stdout + run.stderr
  return { status: run.status, lines: run.stdout.trim().split('\n'), out }
}

/** A stand-in for vitest: writes `text` where --outputFile.json= points, exits with `code`. */
const fakeVitest = (text: string | undefined, code: number): string => {
  const dir = tmp()
  const script = join(dir, 'fake-vitest.mjs')
  writeFileSync(
    script,
    `import { writeFileSync } from 'node:fs'
const out = process.argv.find((a) => a.startsWith('--outputFile.json='))?.slice('--outputFile.json='.length)
${text === undefined ? '' : `writeFileSync(out, ${JSON.stringify(text)})`}
process.exit(${code})\n`,
  )
  return `${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`
}

const good = (): Record<string, unknown> => report([{ name: 'a.test.ts', tests: ['passed', 'passed', 'skipped'] }, { name: 'b.test.ts', tests: ['passed', 'todo'] }])

describe('.ci/vitest-counts.mjs', () => {
  it('prints passed, failed and skipped (todo included) for a consistent report', () => {
    expect(counts(JSON.stringify(good()))).toMatchObject({ status: 0, stdout: '3 0 2' })
  })

  it('counts a file that failed to load, with no test in it, as a failure', () => {
    const r = counts(JSON.stringify(report([{ name: 'ok.test.ts', tests: ['passed'] }, { name: 'broken.test.ts', tests: [], loadError: true }])))
    expect(r).toMatchObject({ status: 0, stdout: '1 1 0' })
    expect(r.stderr).toContain('/repo/broken.test.ts')
  })

  it('counts a file whose beforeAll threw (its tests reported skipped) as a failure', () => {
    const r = report([{ name: 'setup.test.ts', tests: ['skipped', 'skipped'] }])
    ;(r.testResults as { status: string }[])[0]!.status = 'failed'
    r.success = false
    expect(counts(JSON.stringify(r))).toMatchObject({ status: 0, stdout: '0 1 2' })
  })

  it('counts a test still pending when the report was written as failed, not skipped', () => {
    const r = report([{ name: 'a.test.ts', tests: ['passed', 'pending'] }])
    r.success = false
    expect(counts(JSON.stringify(r))).toMatchObject({ status: 0, stdout: '1 1 0' })
  })

  it('counts one failure when the report says unsuccessful and lists none', () => {
    const r = good()
    r.success = false
    expect(counts(JSON.stringify(r))).toMatchObject({ status: 0, stdout: '3 1 2' })
  })

  it.each([
    ['a truncated report', JSON.stringify(good()).slice(0, 200), /not JSON/],
    ['an empty file', '', /not JSON/],
    ['a report without counts', JSON.stringify({ testResults: [] }), /numTotalTests/],
    ['totals that do not add up', JSON.stringify({ ...good(), numTotalTests: 9 }), /totals disagree/],
    ['counts that disagree with the tests listed', JSON.stringify({ ...good(), numPassedTests: 2, numTotalTests: 4 }), /numPassedTests is 2 but its tests add up to 3/],
    ['no test files', JSON.stringify({ ...report([]), testResults: [] }), /no test files/],
    ['success with a failed test', JSON.stringify({ ...report([{ name: 'a', tests: ['failed'] }]), success: true }), /says success/],
    ['an unknown test status', JSON.stringify(good()).replace('"status":"todo"', '"status":"exploded"'), /unknown test status "exploded"/],
  ])('fails (exit 2) on %s', (_what, text, reason) => {
    const r = counts(text)
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(reason)
  })

  it('fails (exit 2) when there is no report at all', () => {
    const run = spawnSync(process.execPath, [join(root, '.ci/vitest-counts.mjs'), join(tmp(), 'missing.json')], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/no report/)
  })
})

describe('.ci/lib.sh', () => {
  it('adds a stage\'s counts and ends with "N passed, M failed, K skipped", exit 0 when nothing failed', () => {
    const r = lib(`vitest_run one ${fakeVitest(JSON.stringify(good()), 0)}\ngate two true\nsummary`)
    expect(r.status).toBe(0)
    expect(r.lines.at(-1)).toBe('4 passed, 0 failed, 2 skipped')
    expect(r.lines.at(-1)).toMatch(LAST_LINE)
  })

  it.each([
    ['a truncated report', JSON.stringify(good()).slice(0, 300), 0, /one \(no usable report, exit 0\)/],
    ['a missing report', undefined, 1, /one \(no usable report, exit 1\)/],
    ['a non-zero exit with no failure in the report', JSON.stringify(good()), 1, /one \(exit 1, no failure in its report\)/],
  ])('fails the run on %s', (_what, text, code, reason) => {
    const r = lib(`vitest_run one ${fakeVitest(text, code)}\nsummary`)
    expect(r.status).toBe(1)
    expect(r.out).toMatch(reason)
    const [, , failed] = LAST_LINE.exec(r.lines.at(-1)!)!
    expect(Number(failed)).toBeGreaterThan(0)
  })

  it('counts a failing gate and still runs the next stage', () => {
    const r = lib('gate bad false\ngate good true\nsummary')
    expect(r.status).toBe(1)
    expect(r.lines.at(-1)).toBe('1 passed, 1 failed, 0 skipped')
    expect(r.out).toContain('failed: bad (exit 1)')
  })

  // A bin directory holding only what lib.sh calls: node and a few coreutils, no chromium, and
  // (optionally) fake dpkg-query / apt-get scripts.
  const bin = (fakes: Record<string, string> = {}): string => {
    const dir = join(tmp(), 'bin')
    mkdirSync(dir)
    symlinkSync(process.execPath, join(dir, 'node'))
    for (const tool of ['rm', 'mktemp', 'dirname', 'cat', 'env', 'grep', 'id', 'touch']) {
      const path = spawnSync('/bin/bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim()
      symlinkSync(path, join(dir, tool))
    }
    for (const [name, body] of Object.entries(fakes)) {
      writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`)
      chmodSync(join(dir, name), 0o755)
    }
    return dir
  }
  // dpkg-query: nginx is installed, chromium only once the fake apt-get has "installed" it.
  const dpkg = `case "$3" in nginx) echo -n 'install ok installed';; chromium) [ -f "$(dirname "$0")/chromium-installed" ] && echo -n 'install ok installed';; esac`

  it('installs a missing package even when another one is present (chromium missing, nginx there)', () => {
    const dir = bin({ 'dpkg-query': dpkg, 'apt-get': `echo "apt-get $*" >> "$(dirname "$0")/apt.log"; [ "$1" = install ] && touch "$(dirname "$0")/chromium-installed"; exit 0` })
    const r = lib('gate "apt packages" apt_ensure chromium nginx\nsummary', { PATH: dir, HOME: tmp() })
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'apt.log'), 'utf8')).toMatch(/apt-get install -y -qq chromium\n/)
    expect(r.lines.at(-1)).toBe('1 passed, 0 failed, 0 skipped')
  })

  it.each([
    ['apt-get install fails', 'exit 100'],
    ['apt-get succeeds but the package is still missing', 'exit 0'],
  ])('fails the run when %s', (_what, body) => {
    const dir = bin({ 'dpkg-query': dpkg, 'apt-get': body })
    const r = lib('gate "apt packages" apt_ensure chromium nginx\nsummary', { PATH: dir, HOME: tmp() })
    expect(r.status).toBe(1)
    expect(r.out).toContain('failed: apt packages')
  })

  it('fails the run, under CI, for a gated suite with chromium off PATH, a suite that does not load and a beforeAll that throws', () => {
    const dir = bin()
    const vitest = `node ${JSON.stringify(join(root, 'node_modules/vitest/vitest.mjs'))} run --root test/ci/fixtures --config vitest.config.mjs`
    const r = lib(`vitest_run fixtures ${vitest}\nsummary`, { PATH: dir, HOME: tmp(), CI: 'true', FIXTURE_LOAD_ERROR: '1', FIXTURE_BEFORE_ALL: '1' })
    expect(r.out).toMatch(/chromium is required under CI=true and was not found/)
    expect(r.status).toBe(1)
    // 1 passing test; the gated file, the load error and the beforeAll are a failure each; the
    // beforeAll's two tests and the it.skip are skipped.
    expect(r.lines.at(-1)).toBe('1 passed, 3 failed, 3 skipped')
  }, 240_000)

  it('passes the same fixtures without CI once nothing goes wrong: the gated suite skips', () => {
    const dir = bin()
    const vitest = `node ${JSON.stringify(join(root, 'node_modules/vitest/vitest.mjs'))} run --root test/ci/fixtures --config vitest.config.mjs`
    const r = lib(`vitest_run fixtures ${vitest}\nsummary`, { PATH: dir, HOME: tmp() })
    expect(r.status).toBe(0)
    expect(r.lines.at(-1)).toBe('4 passed, 0 failed, 2 skipped')
  }, 240_000)
})

describe('requireTool', () => {
  const withFake = (name: string): string => {
    const dir = tmp()
    writeFileSync(join(dir, name), '#!/bin/sh\n')
    chmodSync(join(dir, name), 0o755)
    return dir
  }

  it('finds a tool on PATH and returns its path', () => {
    const dir = withFake('chromium')
    expect(findTool('chromium', { PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'chromium'))
    expect(requireTool('chromium', { PATH: dir, CI: 'true' })).toBe(join(dir, 'chromium'))
  })

  it('returns undefined (the suite skips) outside CI', () => {
    expect(requireTool('chromium', { PATH: tmp() })).toBeUndefined()
    expect(requireTool('chromium', { PATH: tmp(), CI: 'false' })).toBeUndefined()
  })

  it('throws under CI, naming the tool and how to install it', () => {
    expect(() => requireTool('chromium', { PATH: tmp(), CI: 'true' })).toThrow(/chromium is required under CI=true.*apt-get install chromium/)
    // CI=1 counts too (chromium: found through PATH only, unlike bun, which test/runtimes may hold)
    expect(() => requireTool('chromium', { PATH: tmp(), CI: '1' })).toThrow(/chromium is required/)
  })

  it('ignores a file on PATH that is not executable', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'deno'), '')
    expect(findTool('deno', { PATH: dir })).not.toBe(join(dir, 'deno'))
  })
})
