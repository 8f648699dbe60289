import { describe, expect, it } from 'vitest'
import { run } from '../../src/cli/commands/validate.ts'
import { main } from '../../src/cli/main.ts'
import { fakeIo } from './helpers.ts'

const good = { schemaVersion: 1, flags: { a: { enabled: true, rules: [{ serve: 'on' }] } } }
// written out by hand, so line numbers are known
const bad = `{
  "schemaVersion": 1,
  "flags": {
    "a": {
      "enabled": true,
      "rules": [{ "if": { "attr": "country", "op": "inn", "values": ["US"] }, "serve": "on" }]
    },
    "b": {
      "enabled": true,
      "variants": { "control": "blue", "treatment": "green" },
      "offVariant": "control",
      "rules": [{ "serve": "treatmnt" }]
    }
  }
}
`

describe('flagstage validate', () => {
  it('exits 0 and says so for valid configs', () => {
    const { io, stdout } = fakeIo({ 'a.json': good, 'b.json': good })
    expect(run(['a.json', 'b.json'], io)).toBe(0)
    expect(stdout()).toBe('✓ a.json\n✓ b.json\n')
  })

  it('exits 1 and lists problems with path, line and column, and "did you mean", on stderr', () => {
    const { io, stdout, stderr } = fakeIo({ 'bad.json': bad, 'good.json': good })
    expect(run(['good.json', 'bad.json'], io)).toBe(1)
    expect(stdout()).toBe('✓ good.json\n')
    const text = stderr()
    expect(text).toMatch(/^✗ bad\.json: \d+ problems?\n/)
    expect(text).toContain('bad.json:6:46 flags.a.rules[0].if.op: expected one of in, notIn')
    expect(text).toContain('got "inn"; did you mean "in"?')
    // every problem, not only the first (core's configProblems)
    expect(text).toMatch(/^✗ bad\.json: 2 problems\n/)
    expect(text).toContain('bad.json:12:19 flags.b.rules[0].serve: expected one of control, treatment, got "treatmnt"; did you mean "treatment"?')
  })

  it('gives machine output with --json', () => {
    const { io, stdout } = fakeIo({ 'bad.json': bad, 'good.json': good })
    expect(run(['--json', 'bad.json', 'good.json'], io)).toBe(1)
    const report = JSON.parse(stdout())
    expect(report.valid).toBe(false)
    expect(report.files[1]).toEqual({ file: 'good.json', valid: true, problems: [] })
    expect(report.files[0].problems[0]).toMatchObject({
      path: 'flags.a.rules[0].if.op', line: 6, column: 46, got: 'inn', suggestion: 'in', expected: expect.arrayContaining(['in', 'notIn', 'exists']),
    })
    expect(report.files[0].problems[0].message).toMatch(/^expected one of in, notIn/)
  })

  it('reports JSON syntax errors at their line and column, and unreadable files', () => {
    const { io, stdout } = fakeIo({ 'trailing.json': '{\n  "schemaVersion": 1,\n  "flags": {},\n}\n', 'comment.json': '{ // no\n}' })
    expect(run(['--json', 'trailing.json', 'comment.json', 'missing.json'], io)).toBe(1)
    const [trailing, comment, missing] = JSON.parse(stdout()).files.map((f: { problems: unknown[] }) => f.problems[0])
    expect(trailing).toEqual({ path: '', message: 'JSON syntax: expected a key (no trailing comma in JSON), found "}"', line: 4, column: 1 })
    expect(comment).toMatchObject({ line: 1, column: 3, message: 'JSON syntax: expected a key in double quotes, found "/"' })
    expect(missing).toEqual({ path: '', message: 'cannot read: no such file' })
  })

  it('writes GitHub annotations with --github', () => {
    const { io, stdout } = fakeIo({ 'bad.json': bad })
    expect(run(['--github', 'bad.json'], io)).toBe(1)
    expect(stdout().split('\n')[0]).toBe(
      '::error file=bad.json,line=6,col=46,title=flagstage validate::flags.a.rules[0].if.op: expected one of in, notIn, eq, neq, contains, startsWith, endsWith, matches, lt, lte, gt, gte, before, after, semverEq, semverLt, semverLte, semverGt, semverGte, exists, ..., got "inn" (did you mean "in"?)',
    )
  })

  it('exits 2 on bad arguments, with the usage', async () => {
    const { io, stderr } = fakeIo()
    expect(await main(['validate'], io)).toBe(2)
    expect(stderr()).toContain('flagstage validate: name at least one config file')
    expect(stderr()).toContain('Usage: flagstage validate')
    expect(await main(['validate', '--jsn', 'a.json'], io)).toBe(2)
    expect(stderr()).toContain('unknown option --jsn')
  })
})
