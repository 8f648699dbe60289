import { createElement } from 'react'
import { GrowthBook } from '@growthbook/growthbook'
import { GrowthBookProvider, useFeatureIsOn } from '@growthbook/growthbook-react'

const gb = new GrowthBook({
  attributes: { id: 'u-42' },
  features: { 'new-checkout': { defaultValue: false, rules: [{ force: true, coverage: 0.5, hashAttribute: 'id' }] } },
})
const Checkout = () => createElement('span', null, useFeatureIsOn('new-checkout') ? 'new' : 'old')
export const App = () => createElement(GrowthBookProvider, { growthbook: gb }, createElement(Checkout))
