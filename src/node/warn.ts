const seen = new Set<string>()

/** Warn once per message, unless NODE_ENV is `production`. Internal (core's helper is not public). */
export const warnOnce = (message: string, detail?: unknown): void => {
  if (process.env.NODE_ENV === 'production' || seen.has(message)) return
  seen.add(message)
  console.warn(`[flagstage/node] ${message}`, ...(detail === undefined ? [] : [detail]))
}
