import { readFileSync, watch as watchDirectory } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { ErrorCode, FlagstageError } from 'flagstage'
import type { Source } from 'flagstage'

/** Options of `file()`. */
export interface FileSourceOptions {
  /** Reload when the file changes (written in place, renamed over, deleted and recreated). @default false */
  watch?: boolean
  /** Wait this long after the last change event before reading, so a burst of writes is read once. @default 50 */
  debounceMs?: number
}

const readError = (path: string, error: unknown): FlagstageError => {
  const code = (error as { code?: string }).code
  const message = code === 'ENOENT' ? `${path} does not exist` : `${path} could not be read (${code ?? String(error)})`
  return new FlagstageError(ErrorCode.SOURCE_ERROR, `${message}; the last good config stays in force`, { cause: error })
}

/**
 * A config (or evaluated snapshot) from a JSON file. The first read happens when the client
 * starts (synchronously, so a server is ready at once; the document is delivered in a
 * microtask like every source). With `watch`, the file's directory is watched, so editors that
 * save by renaming a temporary file over it, `mv`, and Kubernetes ConfigMap updates (`..data`
 * swaps) are all seen; events are debounced and a change that leaves the bytes as they were is
 * not emitted again. A half-written or invalid file fails with PARSE_ERROR and a missing one with
 * SOURCE_ERROR: the client keeps the last good config, and the next good write is picked up.
 * The watcher keeps the process alive until `client.close()`.
 * @example
 * const flags = createClient({ source: file('./flags.json', { watch: true }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function file(path: string, options: FileSourceOptions = {}): Source {
  return {
    start(emit, fail) {
      const { watch = false, debounceMs = 50 } = options
      const full = resolve(path)
      const name = basename(full)
      let stopped = false
      let seen: string | undefined // last outcome: the file's text, or "\0" + error code
      let timer: ReturnType<typeof setTimeout> | undefined
      let watcher: FSWatcher | undefined
      let reading = false
      let again = false

      /** Act on an outcome only when it differs from the previous one (no-op events, repeated errors). */
      const settle = (text: string | undefined, error?: unknown): void => {
        if (stopped) return
        const key = text ?? `\0${(error as { code?: string }).code ?? 'ERROR'}`
        if (key === seen) return
        seen = key
        if (text === undefined) return fail(readError(path, error))
        let document: unknown
        try {
          document = JSON.parse(text)
        } catch (cause) {
          return fail(new FlagstageError(ErrorCode.PARSE_ERROR,
            `${path} is not valid JSON (half-written?); the last good config stays in force`, { cause }))
        }
        emit(document)
      }

      // Reads never overlap, so an older read cannot land after a newer one.
      const reload = async (): Promise<void> => {
        if (reading) {
          again = true
          return
        }
        reading = true
        try {
          do {
            again = false
            try {
              settle(await readFile(full, 'utf8'))
            } catch (error) {
              settle(undefined, error)
            }
          } while (again && !stopped)
        } finally {
          reading = false
        }
      }

      let first: [string | undefined, unknown]
      try {
        first = [readFileSync(full, 'utf8'), undefined]
      } catch (error) {
        first = [undefined, error]
      }
      queueMicrotask(() => settle(...first))

      if (watch) {
        try {
          watcher = watchDirectory(dirname(full), (_event, changed) => {
            // null: the platform did not say which file. "..data": a Kubernetes ConfigMap update.
            if (changed && changed !== name && changed !== '..data') return
            clearTimeout(timer)
            timer = setTimeout(() => void reload(), debounceMs)
          })
          watcher.on('error', (error) => {
            watcher?.close()
            if (!stopped) fail(new FlagstageError(ErrorCode.SOURCE_ERROR, `watching ${path} failed: ${error.message}`, { cause: error }))
          })
        } catch (error) {
          const failure = new FlagstageError(ErrorCode.SOURCE_ERROR,
            `cannot watch ${path}'s directory (${(error as Error).message}); changes will not be picked up`, { cause: error })
          queueMicrotask(() => !stopped && fail(failure))
        }
      }

      return () => {
        stopped = true
        clearTimeout(timer)
        watcher?.close()
      }
    },
  }
}
