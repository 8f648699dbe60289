// Spawn `node [flags] <script> --child ...args` and read the one JSON line it prints last.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

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

/**
 * The child side: run `work(args)` and print its result as the last JSON line. With `exit`, exit right
 * away (peer SDKs may leave handles open: not what is measured). Without it, let the process end on its
 * own: if a handle keeps it alive, a watchdog prints an error line naming what is still open (the parent
 * reads the last line) and exits.
 */
export const childMain = async (work, args, { exit = false } = {}) => {
  let result
  try {
    result = await work(args)
  } catch (err) {
    result = { error: String(err?.stack ?? err).split('\n').slice(0, 3).join(' | ') }
  }
  console.log(JSON.stringify(result))
  if (exit) process.exit(0)
  setTimeout(() => {
    // What keeps the loop alive, besides stdout/stderr and this watchdog: e.g. "Timeout x2, TCPSocketWrap".
    const counts = {}
    for (const h of process.getActiveResourcesInfo()) if (!/^(PipeWrap|TTYWrap)$/.test(h)) counts[h] = (counts[h] ?? 0) + 1
    counts.Timeout -= 1 // this watchdog
    const open = Object.entries(counts).filter(([, n]) => n > 0).map(([h, n]) => (n > 1 ? `${h} x${n}` : h)).join(', ')
    console.log(JSON.stringify({ error: `did not exit on its own 5 s after closing (still open: ${open})` }))
    process.exit(1)
  }, 5000).unref()
}

/**
 * The entry of a scenario script run as `node run/<scenario>.mjs [--smoke] [--only=a,b]`: with `--child ...`
 * (how runChild starts it) it runs `child(args, flags)` through childMain; otherwise it prints
 * `await report(flags)`. `exit`: exit as soon as the child's line or the report is out (scenarios with
 * peer SDKs, which may leave handles open); without it the process must end on its own.
 */
export const scenarioMain = async (url, { child, report, exit = false }) => {
  if (process.argv[1] !== fileURLToPath(url)) return
  const argv = process.argv.slice(2)
  const flags = { smoke: argv.includes('--smoke'), only: argv.find((a) => a.startsWith('--only='))?.slice(7).split(',') }
  if (argv[0] === '--child') return childMain((args) => child(args, flags), argv.slice(1), { exit })
  console.log(await report(flags))
  if (exit) process.exit(0)
}
