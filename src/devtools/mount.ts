import type { Client, FlagTypes } from 'flagstage'
import { createPanel, type PanelState, type Position } from './panel.ts'
import { overrideCookie, restoreOverrides, type OverrideCookieOptions } from './overrides.ts'
import { STYLES } from './styles.ts'

/** Options of `mountDevtools`. */
export interface DevtoolsOptions {
  /** Open the panel at first (later loads remember what the user chose). @default false */
  open?: boolean
  /** Corner of the page (later loads remember where the user moved it). @default 'bottom-right' */
  position?: Position
  /** Where the panel's host element goes. @default document.body */
  parent?: Element
  /**
   * Remember overrides (localStorage, where `urlOverrides()` reads them: re-applied on the next load) and
   * the panel's open state and position. `false` keeps everything for this page only. @default true
   */
  persist?: boolean
  /**
   * Also write the overrides to a cookie, for server rendering (`readOverrideCookie` in
   * flagstage/server, which must be enabled there too). @default false
   */
  cookie?: boolean | OverrideCookieOptions
}

const UI_KEY = 'flagstage:devtools'
const CORNERS = ['bottom-right', 'bottom-left', 'top-left', 'top-right']

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage
  } catch {
    return undefined // blocked storage (sandboxed iframes, privacy modes): nothing is remembered
  }
}

const loadState = (options: DevtoolsOptions, persist: boolean): PanelState => {
  const state: PanelState = { open: options.open ?? false, position: options.position ?? 'bottom-right' }
  try {
    const saved = persist ? JSON.parse(storage()?.getItem(UI_KEY) ?? 'null') as Partial<PanelState> | null : null
    if (typeof saved?.open === 'boolean') state.open = saved.open
    if (typeof saved?.position === 'string' && CORNERS.includes(saved.position)) state.position = saved.position
  } catch {
    // a corrupt entry is ignored
  }
  return state
}

/**
 * Mount the flagstage devtools: a "Feature flags" button that opens a panel listing every flag with its
 * value, variant and reason, why it has it (each rule, condition, bucket and threshold, schedules and
 * ramps), the config revision and source status, the context (editable), and an override per flag.
 * Plain DOM in a Shadow DOM: no framework, its styles and the page's stay apart, no globals. Returns a
 * function that removes it and its listeners (overrides stay on the client until cleared).
 *
 * Keep it out of production bundles: import it lazily behind a development check.
 * @example
 * if (import.meta.env.DEV) import('flagstage/devtools').then(({ mountDevtools }) => mountDevtools(client))
 */
export const mountDevtools = <F extends FlagTypes>(typed: Client<F>, options: DevtoolsOptions = {}): (() => void) => {
  if (typeof document === 'undefined') return () => {} // server rendering: nothing to mount
  const client = typed as unknown as Client // the panel reads any flag by key
  const persist = options.persist !== false
  if (persist) restoreOverrides(client)
  const host = document.createElement('div')
  host.setAttribute('data-flagstage-devtools', '')
  const shadow = host.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = STYLES
  const panel = createPanel(client, {
    state: loadState(options, persist),
    persist,
    saveState: (state) => {
      if (!persist) return
      try {
        storage()?.setItem(UI_KEY, JSON.stringify(state))
      } catch {
        // storage full or blocked: the state lives for this page only
      }
    },
  })
  shadow.append(style, panel.el)
  ;(options.parent ?? document.body).appendChild(host)
  // Notifications come in bursts (a config and its status); render once per burst.
  let queued = false
  const unsubscribe = client.subscribe(() => {
    if (queued) return
    queued = true
    queueMicrotask(() => {
      queued = false
      if (host.isConnected) panel.render()
    })
  })
  const stopCookie = options.cookie ? overrideCookie(client, options.cookie === true ? {} : options.cookie) : undefined
  let mounted = true
  return () => {
    if (!mounted) return
    mounted = false
    unsubscribe()
    stopCookie?.()
    host.remove()
  }
}
