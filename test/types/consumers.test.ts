// Type-checks small consumer projects against the built package (`npm run build` first), the way
// users' tsconfigs resolve it: node10 resolution, a Node project without the DOM lib, a JSON
// import as bootstrap, and generated types that check variant names. Each project lives under
// test/types/consumers/<name>/ and is compiled with this repo's tsc against a node_modules that
// links flagstage (this package, through its "exports" / "typesVersions") and the @types it needs.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { flagTypes, validateConfig } from 'flagstage'
import { requireTool } from '../helpers/requires.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const consumers = join(root, 'test/types/consumers')
const built = existsSync(join(root, 'dist/index.d.ts')) && existsSync(join(root, 'dist/react/index.d.cts'))

/** Copy consumer `name` to a temp dir with node_modules links; run tsc; return [exit code, output]. */
/** The oldest TypeScript the README promises (NoInfer is 5.4), from test/runtimes (its own lock: no second `tsc` bin here). */
const TS_OLDEST = requireTool('tsc-5.4')
const typecheck = (name: string, extra: (dir: string) => void = () => {}, tsc = join(root, 'node_modules/typescript/bin/tsc')): [number, string] => {
  const dir = mkdtempSync(join(tmpdir(), `flagstage-consumer-${name}-`))
  cpSync(join(consumers, name), dir, { recursive: true })
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true })
  symlinkSync(root, join(dir, 'node_modules/flagstage'), 'dir')
  for (const pkg of ['react', '@types/react', '@types/node', 'undici-types', 'csstype']) {
    if (existsSync(join(root, 'node_modules', pkg))) symlinkSync(join(root, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir')
  }
  extra(dir)
  if (tsc === TS_OLDEST) {
    // `ignoreDeprecations: "6.0"` (node10 under TS 6) is an error before TS 6.
    const file = join(dir, 'tsconfig.json')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^\s*"ignoreDeprecations": "6\.0",\n/m, ''))
  }
  try {
    return [0, execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', cwd: dir })]
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string }
    return [e.status, `${e.stdout}${e.stderr}`]
  }
}

describe.skipIf(!built && !process.env.CI)('consumer projects type-check against dist/ (built package)', { timeout: 300_000 }, () => {
  it('resolves every subpath under moduleResolution node10 (typesVersions)', () => {
    const [code, out] = typecheck('node10')
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it('compiles a Node project without the DOM lib, with skipLibCheck off', () => {
    const [code, out] = typecheck('node-no-dom')
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it('takes a JSON import of a config as bootstrap without a cast', () => {
    const [code, out] = typecheck('json-bootstrap')
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it('checks flag keys, values and variant names with generated types', () => {
    const [code, out] = typecheck('variants', (dir) => {
      const config = validateConfig(JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')))
      writeFileSync(join(dir, 'flags.ts'), flagTypes(config, 'AppFlags'))
    })
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it.skipIf(!TS_OLDEST).each(['node10', 'node-no-dom', 'json-bootstrap', 'variants'])('type-checks the %s project with TypeScript 5.4, the oldest supported', (name) => {
    const [code, out] = typecheck(name, name === 'variants' ? (dir) => {
      writeFileSync(join(dir, 'flags.ts'), flagTypes(validateConfig(JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8'))), 'AppFlags'))
    } : undefined, TS_OLDEST!)
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it('fails the build on a wrong variant name (the check can fail)', () => {
    const [code, out] = typecheck('variants', (dir) => {
      const config = validateConfig(JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')))
      writeFileSync(join(dir, 'flags.ts'), flagTypes(config, 'AppFlags'))
      writeFileSync(join(dir, 'typo.ts'), "import { createClient } from 'flagstage'\nimport type { AppFlags } from './flags'\ncreateClient<AppFlags>({ overrides: { 'new-checkout': 'onn' } })\n")
    })
    expect(code).not.toBe(0)
    expect(out).toMatch(/typo\.ts.*error TS2322: Type '"onn"' is not assignable to type '"off" \| "on" \| undefined'/)
  })
})
