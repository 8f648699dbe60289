// Where `flagstage publish` and `flagstage rollback` send a config: a directory (atomic file swap, the
// previous config kept), an nchan publisher location (POST), or any HTTP URL (PUT).
import * as nodeFs from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { validateConfig } from 'flagstage'
import type { Config } from 'flagstage'
import { UsageError } from './args.ts'

/** What a publish did at one target, for the report. */
export interface Published {
  target: string
  /** Extra facts: the nchan message id, the HTTP status. */
  detail?: string
}

/** One place a config is published to. */
export interface Target {
  /** As given on the command line (`dir:/srv/flags`). */
  label: string
  /** The config live there now, when the target can tell (undefined: none yet, or it cannot say). */
  live(): Promise<Config | undefined>
  /** Make `text` (the validated config, serialised) the live config. */
  publish(config: Config, text: string): Promise<Published>
  /** The config live before the last publish (dir targets keep it), for rollback. */
  previous?(): Promise<Config | undefined>
}

/** A target could not be read or written: printed, exit 3. */
export class TargetError extends Error {
  override readonly name = 'TargetError'
}

/** The file system calls a dir target makes (tests replace them to crash between write and rename). */
export interface TargetFs {
  readFileSync(path: string, encoding: 'utf8'): string
  writeFileSync(path: string, data: string): void
  renameSync(from: string, to: string): void
  fsyncPath?(path: string): void
  /** Seconds of the file's mtime, or undefined when it does not exist. */
  mtimeSeconds?(path: string): number | undefined
  setMtimeSeconds?(path: string, seconds: number): void
  unlinkSync(path: string): void
  readdirSync(path: string): string[]
  mkdirSync(path: string, options: { recursive: true }): unknown
}

const fsync = (path: string): void => {
  const fd = nodeFs.openSync(path, 'r')
  try {
    nodeFs.fsyncSync(fd)
  } finally {
    nodeFs.closeSync(fd)
  }
}
const realFs: TargetFs = {
  readFileSync: (p, e) => nodeFs.readFileSync(p, e),
  writeFileSync: (p, d) => nodeFs.writeFileSync(p, d),
  renameSync: (a, b) => nodeFs.renameSync(a, b),
  fsyncPath: fsync,
  mtimeSeconds: (p) => {
    try {
      return Math.floor(nodeFs.statSync(p).mtimeMs / 1000)
    } catch {
      return undefined
    }
  },
  setMtimeSeconds: (p, seconds) => nodeFs.utimesSync(p, seconds, seconds),
  unlinkSync: (p) => nodeFs.unlinkSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
  mkdirSync: (p, o) => nodeFs.mkdirSync(p, o),
}

const readConfigFile = (fs: TargetFs, path: string): Config | undefined => {
  let text: string
  try {
    text = fs.readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw new TargetError(`${path}: ${(error as Error).message}`)
  }
  try {
    return validateConfig(JSON.parse(text))
  } catch (error) {
    throw new TargetError(`${path}: the live file is not a valid config (${(error as Error).message})`)
  }
}

/**
 * `dir:/srv/flags`: the live config is `/srv/flags/flags.json` (or the `.json` file named), replaced
 * atomically: the new text goes to a temp file in the same directory (flushed to disk), the live one
 * is copied to `flags.previous.json` the same way, then one `rename` makes the new one live. A crash
 * at any point leaves a whole config live, never a partial one; leftover temp files are removed by
 * the next publish.
 */
export const dirTarget = (spec: string, fs: TargetFs = realFs): Target => {
  const file = spec.endsWith('.json') ? spec : join(spec, 'flags.json')
  const dir = dirname(file)
  const name = basename(file, '.json')
  const previousFile = join(dir, `${name}.previous.json`)
  const tempPrefix = `.${name}.json.`
  const writeAtomic = (path: string, text: string): void => {
    const temp = join(dir, `${tempPrefix}${process.pid}.${Date.now()}.tmp`)
    fs.writeFileSync(temp, text)
    fs.fsyncPath?.(temp)
    fs.renameSync(temp, path)
  }
  return {
    label: `dir:${spec}`,
    live: async () => readConfigFile(fs, file),
    previous: async () => readConfigFile(fs, previousFile),
    publish: async (_config, text) => {
      try {
        fs.mkdirSync(dir, { recursive: true })
        for (const leftover of fs.readdirSync(dir)) if (leftover.startsWith(tempPrefix) && leftover.endsWith('.tmp')) fs.unlinkSync(join(dir, leftover))
        let current: string | undefined
        try {
          current = fs.readFileSync(file, 'utf8')
        } catch (error) {
          if ((error as { code?: string }).code !== 'ENOENT') throw error
        }
        // New text on disk first, then the old one kept, then the swap: rename is the commit point.
        const temp = join(dir, `${tempPrefix}${process.pid}.${Date.now()}.new.tmp`)
        fs.writeFileSync(temp, text)
        // Static servers derive validators from mtime in seconds and size (nginx: "<mtime>-<size>"):
        // a second publish within the same second, of the same size, would get 304s. Move it a second on.
        const was = fs.mtimeSeconds?.(file)
        if (was !== undefined && fs.mtimeSeconds?.(temp)! <= was) fs.setMtimeSeconds?.(temp, was + 1)
        fs.fsyncPath?.(temp)
        if (current !== undefined && current !== text) writeAtomic(previousFile, current)
        fs.renameSync(temp, file)
        return { target: `dir:${spec}`, detail: file }
      } catch (error) {
        throw new TargetError(`${file}: ${(error as Error).message}`)
      }
    },
  }
}

const bearer = (env: Record<string, string | undefined>): Record<string, string> =>
  env.FLAGSTAGE_PUBLISH_TOKEN ? { authorization: `Bearer ${env.FLAGSTAGE_PUBLISH_TOKEN}` } : {}

const request = async (url: string, init: RequestInit): Promise<Response> => {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) })
  } catch (error) {
    throw new TargetError(`${url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`)
  }
}

/** GET a JSON config (the live one behind a URL); 404 means none. */
const fetchLive = async (url: string, env: Record<string, string | undefined>): Promise<Config | undefined> => {
  const res = await request(url, { headers: { accept: 'application/json', ...bearer(env) }, cache: 'no-store' })
  if (res.status === 404) return undefined
  if (!res.ok) throw new TargetError(`${url}: GET answered ${res.status}`)
  try {
    return validateConfig(await res.json())
  } catch (error) {
    throw new TargetError(`${url}: the live document is not a valid config (${(error as Error).message})`)
  }
}

/**
 * `nchan:http://host/pub/flags`: POST the whole config to nchan's publisher location, as an
 * EventSource `config` event (`X-EventSource-Event: config`). nchan numbers messages itself
 * (`time:tag` ids, which sse() resumes from with Last-Event-ID); the revision travels in the config.
 * nchan cannot say what is live: `--live URL` (the static file) gives the diff its baseline.
 */
export const nchanTarget = (url: string, env: Record<string, string | undefined>, liveUrl?: string): Target => ({
  label: `nchan:${url}`,
  live: async () => (liveUrl ? fetchLive(liveUrl, env) : undefined),
  publish: async (_config, text) => {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-eventsource-event': 'config', accept: 'text/json', ...bearer(env) },
      body: text,
    })
    const body = await res.text()
    if (res.status !== 201 && res.status !== 202 && res.status !== 200) throw new TargetError(`${url}: POST answered ${res.status} ${body.slice(0, 200)}`)
    let id: string | undefined
    try {
      id = (JSON.parse(body) as { last_message_id?: string }).last_message_id
    } catch {
      id = /last message id: (\S+)/.exec(body)?.[1]
    }
    return { target: `nchan:${url}`, detail: `message ${id ?? '?'}, ${res.status === 201 ? 'subscribers present' : 'no subscribers yet'}` }
  },
})

/** `http:https://host/flags.json`: GET is what is live, PUT replaces it. */
export const httpTarget = (url: string, env: Record<string, string | undefined>): Target => ({
  label: `http:${url}`,
  live: () => fetchLive(url, env),
  publish: async (_config, text) => {
    const res = await request(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...bearer(env) }, body: text })
    if (!res.ok) throw new TargetError(`${url}: PUT answered ${res.status} ${(await res.text()).slice(0, 200)}`)
    await res.body?.cancel()
    return { target: `http:${url}`, detail: `HTTP ${res.status}` }
  },
})

/** A `--to` value as a target. */
export const parseTarget = (spec: string, env: Record<string, string | undefined>, liveUrl?: string): Target => {
  const at = spec.indexOf(':')
  const kind = at < 0 ? '' : spec.slice(0, at)
  const rest = spec.slice(at + 1)
  if (kind === 'dir' && rest) return dirTarget(rest)
  if ((kind === 'nchan' || kind === 'http') && /^https?:\/\/./.test(rest)) return kind === 'nchan' ? nchanTarget(rest, env, liveUrl) : httpTarget(rest, env)
  throw new UsageError(`--to ${JSON.stringify(spec)}: give dir:/path, nchan:http://host/pub/channel or http:https://host/path`)
}
