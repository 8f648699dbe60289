// Every code block in README.md is checked here, so the README cannot drift from the code.
//
// The rules, by the block's language (the word after the opening ```):
//   ts, tsx        type-checked against src/ with the repo's strict tsconfig (`flagstage/*` → src/*), then
//                  RUN (imported by vitest; it fails if it throws or its promise rejects). Self-contained,
//                  no network.
//   js, jsx, mjs   run, the same way, and every name it imports from flagstage must exist.
//   console        a transcript: each `$ flagstage …` line is run (in-process, in examples/cli/, the clock at
//                  2026-12-03T00:00:00Z) and must print exactly the lines that follow it (stdout and stderr).
//   json           must be strict JSON; jsonc may have // comments. A document with "schemaVersion" must pass
//                  validateConfig.
//   anything else  (sh, nginx, text, ...) is not executed: shell commands are what CI runs itself.
//
// Markers: an HTML comment on the line right before the opening ``` changes that:
//   <!-- snippet -->  ts/tsx: type-check only, and names the block does not define (your app, `root`, `req`,
//                     `renderNewCheckout`) are allowed: everything it uses from flagstage must still exist and
//                     type-check. js: only the flagstage imports are checked. For code that needs a server,
//                     the network, a browser or a framework around it.
//   <!-- skip -->     not checked at all (pseudo-code). Use sparingly.
//   <!-- run -->      the default, spelled out.
// (2304/2552/18004: cannot find name, also in a shorthand property.)
// Globals that snippets use (window.__FLAGS__, ...) are declared in test/docs/readme-globals.d.ts.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import * as core from 'flagstage'
import { main } from '../../src/cli/main.ts'
import type { Io } from '../../src/cli/io.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')

interface Block { lang: string; marker: string; code: string; line: number }

/** Fenced blocks with their language, the marker comment before them, and the line they start on. */
const blocks = (text: string): Block[] => {
  const out: Block[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!)
    if (!open) continue
    const marker = /^<!--\s*(snippet|skip|run)\s*-->\s*$/.exec(lines[i - 1] ?? '')?.[1] ?? 'run'
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!)
    out.push({ lang: open[1]!, marker, code: body.join('\n'), line: start + 1 })
  }
  return out
}

const all = blocks(readme).filter((b) => b.marker !== 'skip')
const at = (b: Block): string => `README.md:${b.line} (${b.lang}${b.marker === 'run' ? '' : `, ${b.marker}`})`
const dir = join(root, 'test-output/readme')

/** Strip // and /* comments outside strings (jsonc). */
const stripComments = (text: string): string => text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '')

/** Names imported from flagstage entries in a block: [entry, name][]. */
const importsOf = (code: string): [string, string][] => {
  const out: [string, string][] = []
  for (const m of code.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(flagstage(?:\/[a-z]+)?)'/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!
      if (name) out.push([m[2]!, name])
    }
  }
  return out
}

const code = all.filter((b) => ['ts', 'tsx', 'js', 'jsx', 'mjs'].includes(b.lang))
const file = (b: Block, i: number): string => join(dir, `block-${String(i).padStart(2, '0')}-line-${b.line}.${b.lang === 'jsx' ? 'jsx' : b.lang === 'mjs' ? 'mjs' : b.lang}`)

describe('README code blocks', () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  code.forEach((b, i) => writeFileSync(file(b, i), `${b.code}\n\nexport {}\n`))

  it('type-checks every ts/tsx block against the source', () => {
    const typed = code.map((b, i) => ({ b, path: file(b, i) })).filter(({ b }) => b.lang === 'ts' || b.lang === 'tsx')
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root)
    const options: ts.CompilerOptions = {
      ...parsed.options, noEmit: true, isolatedDeclarations: false, declaration: false, noUnusedLocals: false, noUnusedParameters: false,
    }
    const program = ts.createProgram([...typed.map((t) => t.path), join(root, 'test/docs/readme-globals.d.ts')], options)
    const problems: string[] = []
    for (const { b, path } of typed) {
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(path))) {
        // A snippet may use names it does not define (the reader's app); nothing else is excused.
        if (b.marker === 'snippet' && [2304, 2552, 2582, 18004].includes(d.code)) continue
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined
        problems.push(`${at(b)} line ${(pos?.line ?? 0) + 1} of the block: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
      }
    }
    expect(problems).toEqual([])
  }, 180_000)

  it('finds every name js blocks import from flagstage', async () => {
    const missing: string[] = []
    for (const b of code) {
      for (const [entry, name] of importsOf(b.code)) {
        const mod = (entry === 'flagstage' ? core : await import(/* @vite-ignore */ entry)) as Record<string, unknown>
        // type-only names have no runtime value: those are checked by the type-check above (ts blocks)
        if (!(name in mod) && b.lang !== 'ts' && b.lang !== 'tsx') missing.push(`${at(b)}: ${entry} has no export ${name}`)
      }
    }
    expect(missing).toEqual([])
  })

  for (const [i, b] of code.entries()) {
    if (b.marker !== 'run') continue
    it(`runs ${at(b)}`, async () => {
      await import(/* @vite-ignore */ pathToFileURL(file(b, i)).href)
    }, 60_000)
  }

  for (const b of all.filter((x) => x.lang === 'json' || x.lang === 'jsonc')) {
    it(`parses ${at(b)}${/"schemaVersion"/.test(b.code) ? ' and validates it as a config' : ''}`, () => {
      const doc = JSON.parse(b.lang === 'jsonc' ? stripComments(b.code) : b.code) as unknown
      if (/"schemaVersion"/.test(b.code)) expect(() => core.validateConfig(doc)).not.toThrow()
    })
  }

  for (const b of all.filter((x) => x.lang === 'console')) {
    it(`replays the transcript at ${at(b)}`, async () => {
      const steps = b.code.split(/^(?=\$ )/m).filter((s) => s.trim())
      for (const step of steps) {
        const [command, ...expected] = step.replace(/\n+$/, '').split('\n')
        const words = [...command!.slice(2).matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!)
        expect(words[0], `${at(b)}: only flagstage commands are replayed`).toBe('flagstage')
        let printed = ''
        const io: Io = {
          out: (t) => void (printed += t), err: (t) => void (printed += t),
          readFile: (p) => readFileSync(join(root, 'examples/cli', p), 'utf8'),
          color: false, now: () => Date.parse('2026-12-03T00:00:00Z'), env: {},
        }
        await main(words.slice(1), io)
        expect(printed.replace(/\s+$/, '').split('\n').map((l) => l.trimEnd()), `${at(b)}: ${command}`).toEqual(expected.map((l) => l.trimEnd()))
      }
    }, 60_000)
  }
})

describe('README facts', () => {
  it('quotes hash-vector units that the vectors file has', () => {
    const vectors = readFileSync(join(root, 'test/fixtures/hash-vectors.json'), 'utf8')
    for (const [, unit] of readme.matchAll(/`([^`]*用户[^`]*)` lands in the same bucket/g)) expect(vectors).toContain(JSON.stringify(unit))
  })

  it('counts the demo users as the demo does', () => {
    const demo = readFileSync(join(root, 'examples/demo/index.mjs'), 'utf8')
    const n = Number(/const USERS = Array\.from\(\{ length: (\d+) \}/.exec(demo)![1])
    expect(readme).toContain(`streams a config to ${n} clients`)
    const words: Record<number, string> = { 24: 'Twenty-four', 40: 'Forty', 50: 'Fifty' }
    expect(demo).toContain(`${words[n]} "browsers"`)
  })
})
