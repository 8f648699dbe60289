// Serverless and CLI use: a process that builds a client, reads flags and closes it must exit on
// its own, and ready() must not wait longer than asked. Runs real child processes against the
// built package (`npx tsup` first).
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { config, removeTemp, tempDir } from './helpers.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = existsSync(join(root, 'dist/node/index.js')) && existsSync(join(root, 'dist/index.js'))

// A cold start: build a client, wait (bounded) for it, answer one "invocation", maybe close.
const script = `
import { createServer } from 'node:net'
import { createClient, http } from 'flagstage'
import { file, fileCache, isEnabled, withContext } from 'flagstage/node'
const [flagsPath, cachePath, mode] = process.argv.slice(1)
let source = file(flagsPath, { watch: true })
let blackHole
if (mode === 'http-close') {
  // A config server that accepts connections and never answers.
  blackHole = createServer(() => {})
  await new Promise((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
  source = http('http://127.0.0.1:' + blackHole.address().port + '/flags.json', { timeoutMs: 60000 })
}
const flags = createClient({ source, cache: fileCache(cachePath) })
const started = Date.now()
const status = await flags.ready({ timeoutMs: 300 })
const on = withContext({ plan: 'pro' }, () => isEnabled('new-home'), { client: flags })
console.log(JSON.stringify({ state: status.state, on, waited: Date.now() - started }))
if (mode !== 'no-close') flags.close()
blackHole?.close()
`

// `patience` counts from the child's output line, not from its spawn: a loaded machine may take seconds to
// start node. A child expected to exit gets 30 s (a leaked handle keeps it alive for good); the no-close
// child must still be alive 1.5 s after it answered.
const coldStart = (mode: string, flagsPath: string, cachePath: string, patience = 30_000) =>
  new Promise<{ exited: boolean; code: number | null; out: Record<string, unknown> | undefined; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, flagsPath, cachePath, mode], {
      cwd: root, // the script imports 'flagstage' by name: the package resolves itself through "exports"
      env: { ...process.env, NODE_ENV: 'production' },
    })
    let out = ''
    let err = ''
    let timer: ReturnType<typeof setTimeout> | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk
      timer ??= setTimeout(() => child.kill('SIGKILL'), patience)
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ exited: signal === null, code, out: out ? (JSON.parse(out) as Record<string, unknown>) : undefined, err })
    })
  })

afterEach(removeTemp)

describe.skipIf(!built)('serverless lifecycle (built package; run `npx tsup` first)', { timeout: 90_000 }, () => {
  it('exits on its own after close() with a watching file source and a file cache', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'flags.json'), JSON.stringify(config()))
    const run = await coldStart('close', join(dir, 'flags.json'), join(dir, 'cache.json'))
    expect(run.err).toBe('')
    expect(run).toMatchObject({ exited: true, code: 0, out: { state: 'ready', on: true } })
    expect(existsSync(join(dir, 'cache.json'))).toBe(true)
  })

  it('keeps running without close() (the watcher is live until closed)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'flags.json'), JSON.stringify(config()))
    const run = await coldStart('no-close', join(dir, 'flags.json'), join(dir, 'cache.json'), 1500)
    expect(run).toMatchObject({ exited: false, out: { state: 'ready', on: true } })
  })

  it('resolves ready() at its timeout when the file is missing, serves the cache, and still exits after close()', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'cache.json'), JSON.stringify({ document: config('cached'), savedAt: Date.now() }))
    const run = await coldStart('close', join(dir, 'missing.json'), join(dir, 'cache.json'))
    expect(run).toMatchObject({ exited: true, code: 0, out: { on: true } })
    expect(run.out!.waited).toBeGreaterThanOrEqual(290)
    expect(run.out!.waited).toBeLessThan(30_000) // it did not wait for the file to appear
  })

  it('resolves ready() at its timeout when an http() config server never answers, and exits after close()', async () => {
    const dir = tempDir()
    const run = await coldStart('http-close', join(dir, 'unused.json'), join(dir, 'cache.json'))
    expect(run).toMatchObject({ exited: true, code: 0, out: { state: 'loading', on: false } })
    // It resolved at its own timeout (300 ms), not the request's (60 s): not a speed bound, 30 s is far from both.
    expect(run.out!.waited).toBeGreaterThanOrEqual(290)
    expect(run.out!.waited).toBeLessThan(30_000)
  })
})
