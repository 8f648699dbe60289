// Spawn `node [flags] <script> --child ...args` and read the one JSON line it prints last.
import { spawn } from 'node:child_process'

export const runChild = (script, args, { nodeFlags = [], timeoutMs = 120_000 } = {}) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, script, '--child', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { err += d })
    const timer = setTimeout(() => { child.kill('SIGKILL') }, timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = out.trim().split('\n').pop()
      try {
        resolve(JSON.parse(line))
      } catch {
        resolve({ error: signal ? `killed (${signal}) after ${timeoutMs} ms` : `exit ${code}: ${(err || out).trim().split('\n').slice(-3).join(' | ')}` })
      }
    })
  })
