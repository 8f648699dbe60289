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
  it('maps each flag to Flag<union of its variant value types, its variant names>', () => {
    expect(flagTypes(config)).toBe(
      "import type { Flag } from 'flagstage'\n\n" +
        'export type Flags = {\n' +
        '  "new-checkout": Flag<boolean, "on" | "off">\n' +
        '  "checkout-button": Flag<"blue" | "green", "control" | "treatment">\n' +
        '  "max-items": Flag<number, "few" | "many">\n' +
        '  limits: Flag<{\n    max: number\n    tags: string[]\n  } | {\n    max: number\n    tags: never[]\n  }, "off" | "on">\n' +
        '}\n',
    )
  })

  it('quotes variant names as string literals, whatever they contain', () => {
    const odd: Config = { schemaVersion: 1, flags: { f: { enabled: true, variants: { 'a"b': 1, "c'd\\": 2, '': 3 }, offVariant: '' } } }
    expect(flagTypes(odd)).toContain('f: Flag<number, "a\\"b" | "c\'d\\\\" | "">')
  })

  it.each(['my-type', '1Flags', 'string', 'class', 'Flags Foo', '', 'x;alert(1)'])('rejects %j as a type name', (name) => {
    expect(() => flagTypes(config, name)).toThrow(/not a valid type name/)
  })

  it.each(['AppFlags', '_Flags', '$flags', 'Flags2'])('accepts %j as a type name', (name) => {
    expect(flagTypes(config, name)).toContain(`export type ${name} = {`)
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
