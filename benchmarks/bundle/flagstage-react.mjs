import { createElement } from 'react'
import { createClient } from 'flagstage'
import { FlagsProvider, useFlag } from 'flagstage/react'

const client = createClient({
  bootstrap: { schemaVersion: 1, flags: { 'new-checkout': { enabled: true, rules: [{ serve: { rollout: 50 } }] } } },
  context: { userId: 'u-42' },
})
const Checkout = () => createElement('span', null, useFlag('new-checkout') ? 'new' : 'old')
export const App = () => createElement(FlagsProvider, { client }, createElement(Checkout))
