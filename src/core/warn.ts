const seen = new Set<string>()

/** True unless NODE_ENV is `production` (bundlers replace the expression in browser builds). */
export const isDev = (): boolean => {
  try {
    return (globalThis as { process?: { env?: { NODE_ENV?: string } } }).process?.env?.NODE_ENV !== 'production'
  } catch {
    return true
  }
}

/** Warn once per message (or per `key` when given), in development only. */
export const warnOnce = (message: string, detail?: unknown, key: string = message): void => {
  if (!isDev() || seen.has(key)) return
  seen.add(key)
  console.warn(`[flagstage] ${message}`, ...(detail === undefined ? [] : [detail]))
}
