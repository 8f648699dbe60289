import { createElement } from 'react'
import { InMemoryProvider, OpenFeature } from '@openfeature/web-sdk'
import { OpenFeatureProvider, useBooleanFlagValue } from '@openfeature/react-sdk'

OpenFeature.setProvider(new InMemoryProvider({
  'new-checkout': { variants: { on: true, off: false }, defaultVariant: 'off', disabled: false },
}))
const Checkout = () => createElement('span', null, useBooleanFlagValue('new-checkout', false) ? 'new' : 'old')
export const App = () => createElement(OpenFeatureProvider, null, createElement(Checkout))
