// Stopping a source must let Node exit: every timer cleared, every request and stream aborted.
// Proved in a child process (plain Node 20, so the sources are transpiled to .mjs first).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeServers, json, startServer } from '../helpers/server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const files = ['core/errors', 'sources/backoff', 'sources/http', 'sources/merge-patch', 'sources/request', 'sources/sse']
const parser = pathToFileURL(join(root, 'node_modules/eventsource-parser/dist/index.js')).href

const child = `
import { http } from './http.mjs'
import { sse } from './sse.mjs'
const [origin, refused, mode] = process.argv.slice(2)
const seen = new Set()
const on = (name) => [() => seen.add(name), () => seen.add(name)]
const stops = [
  http(origin + '/hang', { timeoutMs: 60000 }).start(...on('hang')),                       // request in flight
  http(origin + '/flags.json', { pollMs: 60000 }).start(...on('poll')),                    // poll timer pending
  sse(origin + '/stream', { idleTimeoutMs: 60000 }).start(...on('stream')),                // open stream + idle timer
  sse(refused + '/stream', { retryBaseMs: 5000, fallbackPollMs: 60000 }).start(...on('down')), // reconnect timer + fallback
]
const ready = setInterval(() => {
  if (!['poll', 'stream', 'down'].every((name) => seen.has(name))) return
  clearInterval(ready)
  if (mode === 'leak') return console.log('running')
  for (const stop of stops) stop()
  console.log('stopped')
}, 10)
`

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flagstage-lifecycle-'))
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(join(root, 'src', `${file}.ts`), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    })
    const code = outputText
      .replace(/from '\.\.?\/(?:core\/)?([\w-]+)\.ts'/g, "from './$1.mjs'")
      .replace("from 'eventsource-parser'", `from '${parser}'`)
    writeFileSync(join(dir, `${basename(file)}.mjs`), code)
  }
  writeFileSync(join(dir, 'child.mjs'), child)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterAll(closeServers)

/** Run the child; resolve with the ms between its last line and its exit (or undefined if it is still alive after `patience`). */
const run = (args: string[], patience: number): Promise<{ line: string; exitAfter: number | undefined }> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(dir, 'child.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let line = ''
    let at = 0
    let watchdog: ReturnType<typeof setTimeout> | undefined
    proc.stdout.on('data', (chunk: Buffer) => {
      line = chunk.toString().trim()
      at = performance.now()
      clearTimeout(watchdog)
      watchdog = setTimeout(() => {
        proc.kill('SIGKILL')
        resolve({ line, exitAfter: undefined })
      }, patience)
    })
    proc.on('exit', (code) => {
      clearTimeout(watchdog)
      if (!at) return reject(new Error(`child exited (${code}) before it was ready`))
      if (code === 0) resolve({ line, exitAfter: performance.now() - at })
      else reject(new Error(`child exited with ${code}`)) // ignored after a watchdog kill (already resolved)
    })
  })

describe.concurrent('stopping a source', () => {
  let origin = ''
  let refused = ''
  beforeAll(async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/hang') return // never answers
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        return void res.write('event: config\ndata: {"revision":"r1"}\n\n')
      }
      json(res, { revision: 'r1' })
    })
    const gone = await startServer()
    await gone.stop()
    origin = server.origin
    refused = gone.origin
  })

  it('lets the Node process exit on its own (http in flight and polling, sse open and reconnecting)', async () => {
    // Exiting at all is the check: a leaked timer or socket (the control below) keeps the child alive for good.
    // The patience is not a speed bound (a bare fetch() delays exit by 0.2-0.5 s); it only has to end the test.
    const { line, exitAfter } = await run([origin, refused], 30_000)
    expect(line).toBe('stopped')
    expect(exitAfter).toBeDefined()
  })

  it('(control) keeps the process alive while the same sources run', async () => {
    const { line, exitAfter } = await run([origin, refused, 'leak'], 2_500)
    expect(line).toBe('running')
    expect(exitAfter).toBeUndefined()
  })
})
