// The app, shared by the server (renderToString) and the browser (hydrateRoot). Plain createElement
// so Node runs it without a JSX step; `h` reads like JSX: h(tag, props, ...children).
import { createElement as h } from 'react'
import { Feature, useFlag, useFlags, useFlagsStatus, useVariant } from 'flagstage/react'

const colors = { blue: '#2563eb', green: '#16a34a' }

function NewCheckout() {
  const { value: color } = useVariant('checkout-button')
  const express = useFlag('express-pay', false)
  return h('section', { id: 'checkout', className: 'card new' },
    h('h2', null, 'New checkout'),
    h('p', null, 'One page, saved cards, fewer fields.'),
    h('button', { id: 'pay', style: { background: colors[color] ?? '#6b7280' } }, `Pay now (${color ?? 'default'})`),
    express ? h('button', { id: 'express', className: 'ghost' }, 'Express pay') : null,
  )
}

function ClassicCheckout() {
  return h('section', { id: 'checkout', className: 'card classic' },
    h('h2', null, 'Classic checkout'),
    h('p', null, 'Three steps: cart, address, payment.'),
  )
}

function FlagTable() {
  const flags = useFlags()
  return h('table', { id: 'flags' },
    h('thead', null, h('tr', null, h('th', null, 'flag'), h('th', null, 'variant'), h('th', null, 'value'))),
    h('tbody', null, Object.entries(flags).map(([key, f]) =>
      h('tr', { key, className: f.enabled ? 'on' : 'off' }, h('td', null, key), h('td', null, f.variant), h('td', null, JSON.stringify(f.value))),
    )),
  )
}

function Status() {
  const { state, revision } = useFlagsStatus()
  return h('p', { id: 'status' }, `flags: ${state} · revision ${revision ?? '-'}`)
}

export function App({ user }) {
  return h('main', null,
    h('h1', null, 'flagstage · React SSR'),
    h('p', { id: 'user' }, `Signed in as ${user.userId} (${user.plan})`),
    h(Feature, { flag: 'new-checkout', fallback: h(ClassicCheckout) }, h(NewCheckout)),
    h(FlagTable),
    h(Status),
  )
}
