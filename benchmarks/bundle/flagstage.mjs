import { createClient } from 'flagstage'

const client = createClient({
  bootstrap: { schemaVersion: 1, flags: { 'new-checkout': { enabled: true, rules: [{ serve: { rollout: 50 } }] } } },
  context: { userId: 'u-42' },
})
console.log(client.isEnabled('new-checkout'))
