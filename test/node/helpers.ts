// Shared by the flagstage/node tests: a config with personal data in its targeting, real servers
// on 127.0.0.1:0, raw sockets (for bodies that arrive late), temporary directories.
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Config } from 'flagstage'

/** E-mails in a segment: they must never leave the server. */
export const SECRET_EMAILS: string[] = ['alice.secret@corp.example', 'bob.hidden@corp.example']

/**
 * `new-home`: on for the `beta` segment (listed e-mails) and for users with `plan: "pro"`.
 * `checkout-button`: a string flag, `green` for country DE. `is-even`: on when `parity` is `even`.
 */
export const config = (revision = 'r1', overrides: Partial<Config['flags']> = {}): Config => ({
  schemaVersion: 1,
  revision,
  segments: { beta: { attr: 'email', op: 'in', values: SECRET_EMAILS } },
  flags: {
    'new-home': {
      enabled: true,
      rules: [
        { if: { segment: 'beta' }, serve: 'on' },
        { if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' },
      ],
    },
    'checkout-button': {
      enabled: true,
      variants: { control: 'blue', treatment: 'green' },
      offVariant: 'control',
      rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'treatment' }],
    },
    'is-even': { enabled: true, rules: [{ if: { attr: 'parity', op: 'eq', value: 'even' }, serve: 'on' }] },
    ...(overrides as Config['flags']),
  },
})

const servers = new Set<Server>()

/** Listen on 127.0.0.1:0 and return the origin; `closeAll()` in afterEach. */
export const listen = (server: Server): Promise<string> =>
  new Promise((resolve, reject) => {
    servers.add(server)
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })

export const closeAll = async (): Promise<void> => {
  await Promise.all(
    [...servers].map((server) => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })),
  )
  servers.clear()
}

/**
 * POST a JSON body over a raw socket, sending the body `delayMs` after the headers, so it arrives
 * in a later socket read than the request line (where async context is easiest to lose).
 */
export const postLate = (origin: string, path: string, headers: Record<string, string>, body: unknown, delayMs = 40): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin)
    const payload = JSON.stringify(body)
    const socket = connect(Number(port), hostname)
    const head = Object.entries({ ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`).join('')
    socket.write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\n${head}\r\n`)
    setTimeout(() => socket.write(payload), delayMs)
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (data += chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n')
      const raw = rest.join('\r\n\r\n')
      // Both servers answer small bodies with Content-Length or one chunk; strip chunk framing if present.
      const chunked = /transfer-encoding: chunked/i.test(head)
      resolve({ status: Number(head.split(' ')[1]), body: chunked ? raw.split('\r\n').filter((_, i) => i % 2 === 1).join('') : raw })
    })
  })

/** A fresh temporary directory; `removeTemp()` in afterEach. */
const dirs: string[] = []
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'flagstage-node-'))
  dirs.push(dir)
  return dir
}
export const removeTemp = (): void => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolve when `check` passes (polling), or fail with its last error after `timeoutMs`. */
export const eventually = async (check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> => {
  const end = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > end) throw error
      await sleep(10)
    }
  }
}
