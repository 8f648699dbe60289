// LaunchDarkly's browser SDK: flags are evaluated by LaunchDarkly's servers for the context; here bootstrapped.
import { initialize } from 'launchdarkly-js-client-sdk'

const client = initialize('client-side-id', { kind: 'user', key: 'u-42' }, { bootstrap: { 'new-checkout': true }, streaming: false, sendEvents: false })
console.log(client.variation('new-checkout', false))
