import { createElement } from 'react'
import { useFlags, withLDProvider } from 'launchdarkly-react-client-sdk'

const Checkout = () => createElement('span', null, useFlags().newCheckout ? 'new' : 'old')
export const App = withLDProvider({
  clientSideID: 'client-side-id',
  context: { kind: 'user', key: 'u-42' },
  options: { bootstrap: { 'new-checkout': true }, streaming: false, sendEvents: false },
})(Checkout)
