import type { CompiledConfig } from './compile.ts'

/** Query parameter and localStorage key of opt-in browser overrides. */
export const OVERRIDE_PARAM = 'flagstage'
const STORAGE_KEY = 'flagstage:overrides'

/** Parse `flag:variant,other:variant` (flag keys may contain `:`; the variant is after the last one). */
export const parseOverrides = (text: string): Map<string, string> => {
  const out = new Map<string, string>()
  for (const part of text.split(',')) {
    const at = part.lastIndexOf(':')
    const key = part.slice(0, at).trim()
    const variant = part.slice(at + 1).trim()
    if (at > 0 && key && variant) out.set(key, variant)
  }
  return out
}

/**
 * Browser overrides for QA, opt-in: `?flagstage=flag:variant,...` sets them and remembers them in
 * localStorage (so they survive navigation); `?flagstage=` clears them. Outside a browser, or when
 * storage is blocked, returns what the URL says (or nothing). A separate import, so apps that do
 * not use it do not ship it.
 * @example
 * createClient({ source, overrides: urlOverrides() })
 */
export const urlOverrides = (): Record<string, string> => Object.fromEntries(readUrlOverrides())

/**
 * `{ flag: variant }` as `flag:variant,other:variant` (what `?flagstage=` and `parseOverrides` read).
 * Entries whose key or variant is empty or holds a `,` cannot be written and are left out.
 */
export const formatOverrides = (overrides: Readonly<Record<string, string | null | undefined>>): string =>
  Object.entries(overrides)
    .filter(([key, variant]) => key && typeof variant === 'string' && variant && !key.includes(',') && !variant.includes(',') && !variant.includes(':'))
    .map(([key, variant]) => `${key}:${variant}`)
    .join(',')

/**
 * Remember forced variants where `urlOverrides()` reads them on the next load (localStorage); `{}`
 * forgets them. Returns false when storage is missing or blocked. For QA tools (`flagstage/devtools`).
 * @example
 * storeOverrides({ 'new-checkout': 'on' }) // the next createClient({ overrides: urlOverrides() }) forces it
 */
export const storeOverrides = (overrides: Readonly<Record<string, string | null | undefined>>): boolean => {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage
    if (!storage) return false
    const text = formatOverrides(overrides)
    if (text) storage.setItem(STORAGE_KEY, text)
    else storage.removeItem(STORAGE_KEY)
    return true
  } catch {
    return false
  }
}

const readUrlOverrides = (): Map<string, string> => {
  const g = globalThis as { location?: { search?: string }; localStorage?: Storage }
  let text: string | null = null
  try {
    const search = g.location?.search
    const fromUrl = search ? new URLSearchParams(search).get(OVERRIDE_PARAM) : null
    const storage = g.localStorage
    if (fromUrl !== null) {
      text = fromUrl
      if (fromUrl) storage?.setItem(STORAGE_KEY, fromUrl)
      else storage?.removeItem(STORAGE_KEY)
    } else {
      text = storage?.getItem(STORAGE_KEY) ?? null
    }
  } catch {
    // storage can throw (privacy modes, sandboxed iframes): overrides are a convenience, never a failure
  }
  return text ? parseOverrides(text) : new Map()
}

/** Overrides that name no flag, or no variant of their flag, in `compiled`: for a development warning. */
export const overrideProblems = (overrides: Map<string, string>, compiled: CompiledConfig): string[] => {
  const problems: string[] = []
  for (const [key, name] of overrides) {
    const flag = compiled.get(key)
    const names = flag?.variants.map((v) => v.name)
    if (!names) problems.push(`override for unknown flag "${key}" ignored`)
    else if (!names.includes(name)) problems.push(`override "${key}": "${name}" is not a variant (${names.join(', ')}); ignored`)
  }
  return problems
}
