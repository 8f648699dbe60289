// Unleash's browser SDK: flags are evaluated by the Unleash frontend API / Edge for the context; here bootstrapped.
import { UnleashClient } from 'unleash-proxy-client'

const client = new UnleashClient({
  url: 'http://127.0.0.1:9/api/frontend', clientKey: 'key', appName: 'bench', context: { userId: 'u-42' },
  bootstrap: [{ name: 'new-checkout', enabled: true, variant: { name: 'disabled', enabled: false }, impressionData: false }],
  disableRefresh: true, disableMetrics: true,
})
console.log(client.isEnabled('new-checkout'))
