// OpenFeature web SDK + InMemoryProvider: local, but no rules or hashing (a contextEvaluator is user code).
import { InMemoryProvider, OpenFeature } from '@openfeature/web-sdk'

await OpenFeature.setContext({ targetingKey: 'u-42' })
await OpenFeature.setProviderAndWait(new InMemoryProvider({
  'new-checkout': { variants: { on: true, off: false }, defaultVariant: 'off', disabled: false },
}))
console.log(OpenFeature.getClient().getBooleanValue('new-checkout', false))
