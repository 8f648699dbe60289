// Debian nginx with the nchan module on a free loopback port, for the fan-out integration tests: the
// README's configuration (static flags.json, a publisher and an EventSource subscriber location), plus a
// switch that makes the subscriber location answer 503 while a file named `down` exists.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Nchan {
  origin: string
  /** The directory nginx serves (flags.json lives here). */
  www: string
  /** Make the subscriber location answer 503 (true) or stream again (false). */
  streamDown(down: boolean): void
  stop(): Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

/** The nginx configuration the README gives, with this run's paths and port. */
export const nchanConf = (dir: string, port: number, module: string): string => `load_module ${module};
daemon off; master_process on; worker_processes 1;
pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; scgi_temp_path ${dir}/tmp/scgi;
  fastcgi_temp_path ${dir}/tmp/fcgi; uwsgi_temp_path ${dir}/tmp/uwsgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    etag on;
    location = /flags.json { add_header Cache-Control "no-cache"; }
    location = /pub/flags {
      allow 127.0.0.1; deny all;
      nchan_publisher;
      nchan_channel_id flags;
      nchan_message_buffer_length 16;
      nchan_message_timeout 1h;
    }
    location = /sub/flags {
      if (-f ${dir}/down) { return 503; }
      nchan_subscriber eventsource;
      nchan_channel_id flags;
      nchan_eventsource_event config;
      nchan_subscriber_first_message -1;
    }
  }
}
`

export const startNchan = async (nginx: string, module: string): Promise<Nchan> => {
  const dir = mkdtempSync(join(tmpdir(), 'flagstage-nchan-'))
  chmodSync(dir, 0o755) // nginx workers run unprivileged when started by root
  for (const sub of ['www', 'logs', 'tmp']) mkdirSync(join(dir, sub))
  chmodSync(join(dir, 'www'), 0o755)
  const port = await freePort()
  writeFileSync(join(dir, 'nginx.conf'), nchanConf(dir, port, module))
  const child: ChildProcess = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')], { stdio: 'inherit' })
  const origin = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      await fetch(`${origin}/pub/flags`)
      break
    } catch (error) {
      if (i > 200 || child.exitCode !== null) throw new Error(`nginx did not start: ${(error as Error).message}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  return {
    origin,
    www: join(dir, 'www'),
    streamDown: (down) => (down ? writeFileSync(join(dir, 'down'), '') : rmSync(join(dir, 'down'), { force: true })),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM') // fast stop (open streams are not waited for); wait, or it lingers as <defunct>
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
