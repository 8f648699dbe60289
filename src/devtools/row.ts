import type { FlagConfig, FlagDescription } from 'flagstage'
import { attr, h, replace, text } from './dom.ts'
import { explanation, json } from './explain.ts'

// One flag of the list: a button that expands into the explanation (explain.ts), the value, variant and
// reason, and a native <select> of overrides whose accessible name is exactly the flag key.

/** What a row shows; the panel recomputes it on every client notification. */
export interface RowState {
  description: FlagDescription
  /** The flag's definition, when the client has a config (undefined: an evaluated snapshot). */
  def: FlagConfig | undefined
  /** Variant names an override may pick (none: overrides need a config). */
  variants: string[]
  /** The variant forced on this client, if any. */
  override: string | undefined
  expanded: boolean
}

export interface Row {
  readonly key: string
  readonly el: HTMLLIElement
  update(state: RowState): void
}

export interface RowHandlers {
  toggle(key: string): void
  override(key: string, variant: string | undefined): void
}

export const createRow = (key: string, id: string, handlers: RowHandlers): Row => {
  const value = h('span', { class: 'value' })
  const variant = h('span', { class: 'variant' })
  const badge = h('span', { class: 'badge', hidden: true }, 'override')
  const reason = h('span', { class: 'reason' })
  const expand = h('button', { class: 'expand', type: 'button', 'aria-expanded': 'false', 'aria-controls': `${id}-explain` },
    h('span', { class: 'key' }, key), value, variant, badge, reason)
  // The key is the whole accessible name, so `getByLabel(key)` / a screen reader's form list find it as is.
  const select = h('select', { 'aria-label': key, 'data-key': key })
  const details = h('div', { class: 'explain', id: `${id}-explain`, role: 'region', 'aria-label': `Why ${key}`, hidden: true })
  const el = h('li', { class: 'row', 'data-key': key }, h('div', { class: 'line' }, expand, select), details)
  let options = ''
  expand.addEventListener('click', () => handlers.toggle(key))
  select.addEventListener('change', () => handlers.override(key, select.value || undefined))
  return {
    key,
    el,
    update: (state) => {
      const d = state.description
      text(value, d.value === undefined ? '(default)' : json(d.value))
      text(variant, d.variant === undefined ? '' : d.variant)
      text(reason, d.errorCode ? `${d.reason} ${d.errorCode}` : d.reason)
      badge.hidden = state.override === undefined
      attr(el, 'data-overridden', state.override === undefined ? undefined : 'true')
      attr(expand, 'aria-expanded', String(state.expanded))
      const names = JSON.stringify(state.variants)
      if (names !== options) {
        options = names
        replace(select, [h('option', { value: '' }, 'no override'), ...state.variants.map((v) => h('option', { value: v }, v))])
      }
      select.disabled = state.variants.length === 0
      const chosen = state.override !== undefined && state.variants.includes(state.override) ? state.override : ''
      if (select.value !== chosen) select.value = chosen
      details.hidden = !state.expanded
      if (state.expanded) replace(details, explanation(d, state.def))
      else if (details.firstChild) replace(details, [])
    },
  }
}
