import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flagTypes, type Config } from 'flagstage'

const config: Config = {
  schemaVersion: 1,
  flags: {
    'new-checkout': { enabled: true },
    'checkout-button': { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
    'max-items': { enabled: true, variants: { few: 10, many: 100 }, offVariant: 'few' },
    limits: { enabled: true, variants: { off: { max: 1, tags: ['a'] }, on: { max: 2, tags: [] } } },
  },
}

describe('flagTypes()', () => {
  it('maps each flag to the union of its variant value types', () => {
    expect(flagTypes(config)).toBe(
      'export type Flags = {\n' +
        '  "new-checkout": boolean\n' +
        '  "checkout-button": "blue" | "green"\n' +
        '  "max-items": number\n' +
        '  limits: {\n    max: number\n    tags: string[]\n  } | {\n    max: number\n    tags: never[]\n  }\n' +
        '}\n',
    )
  })

  it.skipIf(!existsSync(new URL('../../dist/index.js', import.meta.url)))('runs as the flagstage-types CLI and rejects invalid configs with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstage-types-'))
    const good = join(dir, 'flags.json')
    writeFileSync(good, JSON.stringify(config))
    const bin = new URL('../../bin/flagstage-types.mjs', import.meta.url).pathname
    expect(execFileSync(process.execPath, [bin, good, 'AppFlags'], { encoding: 'utf8' })).toContain('export type AppFlags = {')
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, flags: { a: { enabled: 'yes' } } }))
    let stderr = ''
    try {
      execFileSync(process.execPath, [bin, bad], { encoding: 'utf8', stdio: 'pipe' })
    } catch (error) {
      stderr = (error as { stderr: string }).stderr
    }
    expect(stderr).toContain('invalid config: flags.a.enabled')
  })
})
