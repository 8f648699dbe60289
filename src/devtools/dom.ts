// A small element builder: the panel is plain DOM, no framework (issue #13).

/** A child: a node, text, or nothing (`null`, `undefined`, `false` are skipped). */
export type Child = Node | string | null | undefined | false

/** `h('button', { class: 'x', 'aria-expanded': 'false' }, 'text')`; `true` sets an empty attribute, `false`/`undefined` none. */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) el.setAttribute(name, '')
    else if (typeof value === 'string') el.setAttribute(name, value)
  }
  append(el, children)
  return el
}

export const append = (el: Node, children: Child[]): void => {
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
}

/** Replace every child of `el`. */
export const replace = (el: Node, children: Child[]): void => {
  while (el.firstChild) el.removeChild(el.firstChild)
  append(el, children)
}

/** Set an attribute only when it differs (keeps the DOM quiet for assistive technology and tests). */
export const attr = (el: Element, name: string, value: string | undefined): void => {
  if (value === undefined) {
    if (el.hasAttribute(name)) el.removeAttribute(name)
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value)
}

/** Set text only when it differs. */
export const text = (el: Node, value: string): void => {
  if (el.textContent !== value) el.textContent = value
}
