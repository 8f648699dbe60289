import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands.ts'
import { main } from '../../src/cli/main.ts'
import { fakeIo } from './helpers.ts'
import { SLOW } from '../helpers/timeouts.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = existsSync(join(root, 'dist/cli/main.js')) && existsSync(join(root, 'dist/index.js'))
const flags = join(root, 'examples/cli/flags.json')

describe('flagstage (main)', () => {
  it('lists every command with --help, and prints each command\'s usage and exit codes with <command> --help', async () => {
    const top = fakeIo()
    expect(await main(['--help'], top.io)).toBe(0)
    for (const c of COMMANDS) expect(top.stdout()).toContain(`  ${c.name}`)
    for (const c of COMMANDS) {
      const { io, stdout } = fakeIo()
      expect(await main([c.name, '--help'], io)).toBe(0)
      expect(stdout()).toMatch(new RegExp(`^Usage: flagstage ${c.name} `))
      expect(stdout()).toContain('Exit codes: 0')
      const h = fakeIo()
      expect(await main(['help', c.name], h.io)).toBe(0)
      expect(h.stdout()).toBe(stdout())
    }
  })

  it('exits 2 with the overview for no command or an unknown one (with "did you mean")', async () => {
    const none = fakeIo()
    expect(await main([], none.io)).toBe(2)
    expect(none.stderr()).toContain('Usage: flagstage <command>')
    const typo = fakeIo()
    expect(await main(['valdate', 'x.json'], typo.io)).toBe(2)
    expect(typo.stderr()).toContain('flagstage: unknown command "valdate" (did you mean validate?)')
  })

  it('colours only when the Io says so, and --no-color turns it off', async () => {
    const files = { 'f.json': '{"schemaVersion":1,"flags":{}}' }
    const plain = fakeIo(files)
    await main(['validate', 'f.json'], plain.io)
    expect(plain.stdout()).not.toContain('\u001b[')
    const tty = fakeIo(files, { color: true })
    await main(['validate', 'f.json'], tty.io)
    expect(tty.stdout()).toContain('\u001b[32m✓\u001b[39m')
    const off = fakeIo(files, { color: true })
    await main(['validate', 'f.json', '--no-color'], off.io)
    expect(off.stdout()).toBe('✓ f.json\n')
  })
})

// The one test that runs the real bin: the built CLI, resolving 'flagstage' through package.json exports.
describe.skipIf(!built && !process.env.CI)('bin/flagstage.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagstage-cli-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs as a process: exit codes, stdout and stderr, no colour on a pipe, and the flagstage-types alias', SLOW, () => {
    const bin = join(root, 'bin/flagstage.mjs')
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"schemaVersion":1,"flags":{"a":{"enabled":true,"rules":[{"serve":"of"}]}}}')
    const ok = spawnSync(process.execPath, [bin, 'validate', flags], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: undefined } })
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, `✓ ${flags}\n`, ''])
    const fail = spawnSync(process.execPath, [bin, 'validate', bad], { encoding: 'utf8' })
    expect(fail.status).toBe(1)
    expect(fail.stdout).toBe('')
    expect(fail.stderr).toContain(`${bad}:1:59 flags.a.rules[0].serve: expected one of on, off, got "of"; did you mean "on"?`)
    const diff = spawnSync(process.execPath, [bin, 'diff', flags, join(root, 'examples/cli/flags.next.json'), '--users', '100'], { encoding: 'utf8' })
    expect(diff.status).toBe(1)
    expect(diff.stdout).toContain('~ new-checkout')
    const types = execFileSync(process.execPath, [join(root, 'bin/flagstage-types.mjs'), flags, 'AppFlags'], { encoding: 'utf8' })
    expect(types).toContain('export type AppFlags = {')
    const usage = spawnSync(process.execPath, [bin, 'explain'], { encoding: 'utf8' })
    expect([usage.status, usage.stdout]).toEqual([2, ''])
  })
})
