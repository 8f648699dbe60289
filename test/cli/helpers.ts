import type { Io } from '../../src/cli/io.ts'

/** An Io over in-memory files; collects what a command writes. */
export interface FakeIo {
  io: Io
  stdout: () => string
  stderr: () => string
}

export const fakeIo = (
  files: Record<string, string | object> = {},
  { now = Date.parse('2026-12-03T00:00:00Z'), color = false }: { now?: number; color?: boolean } = {},
): FakeIo => {
  const out: string[] = []
  const err: string[] = []
  const io: Io = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    readFile: (path) => {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      const f = files[path]!
      return typeof f === 'string' ? f : JSON.stringify(f, null, 2)
    },
    color,
    now: () => now,
    env: {},
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}
