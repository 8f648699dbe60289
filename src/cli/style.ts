// Terminal output: colour only when the Io says so (a TTY without NO_COLOR), bars, numbers.

const code = (open: number, close: number) => (on: boolean, text: string): string => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text)

export const bold: (on: boolean, text: string) => string = code(1, 22)
export const dim: (on: boolean, text: string) => string = code(2, 22)
export const red: (on: boolean, text: string) => string = code(31, 39)
export const green: (on: boolean, text: string) => string = code(32, 39)
export const yellow: (on: boolean, text: string) => string = code(33, 39)
export const cyan: (on: boolean, text: string) => string = code(36, 39)

/** `1,234` */
export const count = (n: number): string => n.toLocaleString('en-US')

/** `12.34%` of `total`. */
export const percent = (n: number, total: number): string => `${total ? ((100 * n) / total).toFixed(2) : '0.00'}%`

/** A bar `width` cells wide, filled in eighths. */
export const bar = (share: number, width = 30): string => {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8)
  const full = Math.floor(eighths / 8)
  const rest = eighths % 8
  return '█'.repeat(full) + (rest ? '▏▎▍▌▋▊▉'[rest - 1] ?? '' : '') + ' '.repeat(width - full - (rest ? 1 : 0))
}

/** Pad to `width` (by UTF-16 length: names are ASCII in practice). */
export const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length))

/** `2026-12-03T09:00:00Z` (milliseconds only when set). */
export const instant = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z')
