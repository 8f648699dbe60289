// flagd's rules engine in a browser bundle (flagd's own web provider evaluates on the server instead).
import { FlagdCore } from '@openfeature/flagd-core'

const core = new FlagdCore()
core.setConfigurations(JSON.stringify({
  flags: { 'new-checkout': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { fractional: [['on', 50], ['off', 50]] } } },
}))
console.log(core.resolveBooleanEvaluation('new-checkout', false, { targetingKey: 'u-42' }).value)
