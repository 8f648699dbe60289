import { createElement } from 'react'
import { FlagProvider, useFlag } from '@unleash/proxy-client-react'

const config = {
  url: 'http://127.0.0.1:9/api/frontend', clientKey: 'key', appName: 'bench', context: { userId: 'u-42' },
  bootstrap: [{ name: 'new-checkout', enabled: true, variant: { name: 'disabled', enabled: false }, impressionData: false }],
  disableRefresh: true, disableMetrics: true,
}
const Checkout = () => createElement('span', null, useFlag('new-checkout') ? 'new' : 'old')
export const App = () => createElement(FlagProvider, { config }, createElement(Checkout))
