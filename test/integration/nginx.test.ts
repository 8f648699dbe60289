// The production setup for polling: a static flags.json behind nginx (ETag on), clients on http().
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { http } from 'flagstage'
import { requireTool } from '../helpers/requires.ts'
import { record, soon, stopSources } from '../sources/record.ts'

const NGINX = requireTool('nginx')
const config = (revision: string): object => ({ schemaVersion: 1, revision, flags: { 'new-checkout': { enabled: true } } })

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

// Skipped where Debian's nginx is not installed (apt-get install -y nginx); fails under CI instead.
describe.skipIf(!NGINX)('http() against nginx serving a static file', () => {
  let dir = ''
  let origin = ''
  let nginx: ChildProcess | undefined
  /** Publish a new flags.json the way a deploy should: write a temp file, rename over the old one. */
  const publish = (doc: object): void => {
    writeFileSync(join(dir, 'www/flags.json.tmp'), JSON.stringify(doc))
    renameSync(join(dir, 'www/flags.json.tmp'), join(dir, 'www/flags.json'))
  }
  /** Access log lines as [client, status]. */
  const log = (): [string, string][] =>
    readFileSync(join(dir, 'logs/access.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string])

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagstage-nginx-'))
    chmodSync(dir, 0o755) // nginx workers run as an unprivileged user when started by root
    for (const sub of ['www', 'logs', 'tmp']) mkdirSync(join(dir, sub))
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    publish(config('r1'))
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; master_process on; worker_processes 1;
pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  log_format flags '$http_x_client $status';
  access_log ${dir}/logs/access.log flags;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; scgi_temp_path ${dir}/tmp/scgi;
  fastcgi_temp_path ${dir}/tmp/fcgi; uwsgi_temp_path ${dir}/tmp/uwsgi;
  server { listen 127.0.0.1:${port}; root ${dir}/www; etag on; add_header Cache-Control "no-cache"; }
}
`,
    )
    nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')], { stdio: 'inherit' })
    await vi.waitFor(async () => expect((await fetch(`${origin}/flags.json`)).status).toBe(200), soon)
  })

  afterEach(stopSources)

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve))
      nginx.kill('SIGQUIT') // graceful stop; wait, or it lingers as <defunct>
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('gets 200 once per client, then 304s, and the edited file reaches every client', async () => {
    const clients = ['a', 'b', 'c'].map((name) => ({
      name,
      rec: record(http(`${origin}/flags.json`, { pollMs: 40, retryBaseMs: 5, retryMaxMs: 20, headers: { 'x-client': name } })),
    }))
    const statuses = (name: string): string[] => log().filter(([client]) => client === name).map(([, status]) => status)
    await vi.waitFor(() => {
      for (const { name } of clients) expect(statuses(name).length).toBeGreaterThanOrEqual(4)
    }, soon)
    for (const { name, rec } of clients) {
      const [first, ...rest] = statuses(name)
      expect(first).toBe('200')
      expect(rest.every((status) => status === '304')).toBe(true)
      expect(rec.docs[0]).toEqual(config('r1'))
      expect(rec.metas[0]?.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/) // nginx: "<mtime>-<size>"
      expect(rec.metas.slice(1).every((meta) => meta?.notModified)).toBe(true)
      expect(rec.errors).toEqual([])
    }

    // nginx's ETag is mtime + size: a different size makes the edit visible even within the same second.
    publish(config('r2-edited'))
    await vi.waitFor(() => {
      for (const { rec } of clients) expect(rec.docs).toContainEqual(config('r2-edited'))
    }, soon)
    for (const { name } of clients) expect(statuses(name).filter((status) => status === '200')).toHaveLength(2)
  })
})
