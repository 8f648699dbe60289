import { describeFlag, getOverrides } from 'flagstage'
import type { Client, Context } from 'flagstage'
import { attr, h, text } from './dom.ts'
import { applyOverride, clearOverrides } from './overrides.ts'
import { createRow, type Row } from './row.ts'

// The panel: a toggle button, then the status, a filter, the context editor and one row per flag. It
// re-renders in place (rows keyed by flag key), so focus, the filter and expanded rows survive updates.

/** Corners the panel can sit in. */
export type Position = 'bottom-right' | 'bottom-left' | 'top-left' | 'top-right'
const POSITIONS: Position[] = ['bottom-right', 'bottom-left', 'top-left', 'top-right']

/** Above this many matching flags, only the first are listed (filter to find the others). */
const MAX_ROWS = 300

export interface PanelState { open: boolean; position: Position }

export interface Panel {
  readonly el: HTMLElement
  render(): void
}

export interface PanelOptions {
  state: PanelState
  /** Called when the open state or position changes (mount.ts remembers them). */
  saveState(state: PanelState): void
  /** Remember overrides in localStorage. */
  persist: boolean
}

const isObject = (v: unknown): v is Context => typeof v === 'object' && v !== null && !Array.isArray(v)

export const createPanel = (client: Client, options: PanelOptions): Panel => {
  const state = { ...options.state }
  const rows = new Map<string, Row>()
  const expanded = new Set<string>()
  let ids = 0
  const original = client.getContext()
  let local = false
  let dirty = false

  const count = h('span', { class: 'count' })
  const toggle = h('button', { class: 'toggle', type: 'button', 'aria-controls': 'flagstage-panel', 'aria-expanded': 'false' },
    h('span', { 'aria-hidden': 'true' }, '⚑ '), 'Feature flags', count)
  const status = h('span', { class: 'status', role: 'status' })
  const revision = h('span', { class: 'revision' })
  const move = h('button', { type: 'button', class: 'move' }, 'Move')
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close the devtools' }, '×')
  const error = h('p', { class: 'error', role: 'alert', hidden: true })
  const search = h('input', { type: 'search', placeholder: 'Filter by key', 'aria-label': 'Filter flags by key', autocomplete: 'off', spellcheck: 'false' })
  const clear = h('button', { type: 'button', class: 'clear' }, 'Clear all overrides')
  const localBadge = h('span', { class: 'local', hidden: true }, 'local change')
  const contextText = h('textarea', { 'aria-label': 'Context (JSON)', spellcheck: 'false' })
  const apply = h('button', { type: 'button', class: 'apply' }, 'Apply context')
  const reset = h('button', { type: 'button', class: 'reset', disabled: true }, "Restore the app's context")
  const contextError = h('p', { class: 'context-error', role: 'alert', hidden: true })
  const context = h('details', { class: 'context' }, h('summary', {}, 'Context', localBadge), contextText,
    h('div', { class: 'tools' }, apply, reset), contextError)
  const list = h('ul', { class: 'flags', 'aria-label': 'Flags' })
  const note = h('p', { class: 'muted note', hidden: true })
  const panel = h('section', { class: 'panel', id: 'flagstage-panel', 'aria-label': 'flagstage devtools', hidden: true },
    h('header', {}, h('h2', {}, 'flagstage'), status, revision, move, close), error,
    h('div', { class: 'tools' }, search, clear), context, list, note)
  const root = h('div', { class: 'root' }, toggle, panel)

  const render = (): void => {
    const s = client.status()
    text(status, s.state)
    attr(status, 'data-state', s.state)
    text(revision, s.revision === undefined ? 'no revision' : `revision ${s.revision}`)
    error.hidden = !s.lastError
    text(error, s.lastError ? `Last error: ${s.lastError.code}: ${s.lastError.message}` : '')
    const config = client.getConfig()
    const keys = config ? Object.keys(config.flags) : Object.keys(client.snapshot().flags)
    const overrides = getOverrides(client)
    const forced = keys.filter((k) => overrides[k] !== undefined).length
    text(count, ` ${keys.length}${forced ? `, ${forced} overridden` : ''}`)
    attr(count, 'data-overridden', forced ? 'true' : undefined)
    attr(root, 'data-position', state.position)
    attr(toggle, 'aria-expanded', String(state.open))
    text(move, `Move (${state.position})`)
    attr(move, 'aria-label', `Move the devtools, now ${state.position.replace('-', ' ')}`)
    panel.hidden = !state.open
    if (!state.open) return // rows are described only while someone looks at them
    const filter = search.value.trim().toLowerCase()
    const matching = filter ? keys.filter((k) => k.toLowerCase().includes(filter)) : keys
    const shown = matching.slice(0, MAX_ROWS)
    note.hidden = matching.length === shown.length && matching.length > 0
    text(note, matching.length === 0 ? (keys.length ? 'No flag matches the filter.' : 'No flags.') : `Showing ${shown.length} of ${matching.length}: filter to see the others.`)
    const keep = new Set(shown)
    for (const [key, row] of rows) if (!keep.has(key)) (row.el.remove(), rows.delete(key))
    let at: ChildNode | null = list.firstChild
    for (const key of shown) {
      let row = rows.get(key)
      if (!row) rows.set(key, (row = createRow(key, `f${ids++}`, { toggle: onToggleRow, override: onOverride })))
      if (row.el !== at) list.insertBefore(row.el, at)
      at = row.el.nextSibling
      const def = config?.flags[key]
      row.update({
        description: describeFlag(client, key),
        def,
        variants: config ? Object.keys(def?.variants ?? { on: true, off: false }) : [],
        override: overrides[key],
        expanded: expanded.has(key),
      })
    }
    localBadge.hidden = !local
    attr(context, 'data-local', local ? 'true' : undefined)
    reset.disabled = !local
    if (!dirty) {
      const json = JSON.stringify(client.getContext(), null, 2)
      if (contextText.value !== json) contextText.value = json
    }
  }

  const setState = (next: Partial<PanelState>): void => {
    Object.assign(state, next)
    options.saveState({ ...state })
    render()
  }
  const onToggleRow = (key: string): void => {
    if (!expanded.delete(key)) expanded.add(key)
    render()
  }
  const onOverride = (key: string, variant: string | undefined): void => applyOverride(client, key, variant, options.persist)

  toggle.addEventListener('click', () => {
    setState({ open: !state.open })
    if (state.open) search.focus()
  })
  close.addEventListener('click', () => {
    setState({ open: false })
    toggle.focus()
  })
  move.addEventListener('click', () => setState({ position: POSITIONS[(POSITIONS.indexOf(state.position) + 1) % POSITIONS.length]! }))
  search.addEventListener('input', render)
  clear.addEventListener('click', () => clearOverrides(client, options.persist))
  contextText.addEventListener('input', () => (dirty = true))
  apply.addEventListener('click', () => {
    let parsed: unknown
    let problem = ''
    try {
      parsed = JSON.parse(contextText.value)
    } catch (e) {
      problem = `: ${(e as Error).message}`
    }
    const ok = !problem && isObject(parsed)
    contextError.hidden = ok
    if (!ok) {
      text(contextError, `The context must be a JSON object${problem}`)
      return
    }
    local = true
    dirty = false
    client.setContext(parsed as Context) // renders through the client's notification
  })
  reset.addEventListener('click', () => {
    local = false
    dirty = false
    contextError.hidden = true
    client.setContext(original)
  })
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !state.open) return
    event.stopPropagation()
    setState({ open: false })
    toggle.focus()
  })
  render()
  return { el: root, render }
}
