const seen = new Set<string>()

/** True unless NODE_ENV is `production` (bundlers replace the expression in browser builds). */
export const isDev = (): boolean => {
  try {
    return (globalThis as { process?: { env?: { NODE_ENV?: string } } }).process?.env?.NODE_ENV !== 'production'
  } catch {
    return true
  }
}

/** Warn once per message, in development only. */
export const warnOnce = (message: string, detail?: unknown): void => {
  if (!isDev() || seen.has(message)) return
  seen.add(message)
  console.warn(`[flagstage] ${message}`, ...(detail === undefined ? [] : [detail]))
}
