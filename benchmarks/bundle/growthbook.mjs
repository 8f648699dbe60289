import { GrowthBook } from '@growthbook/growthbook'

const gb = new GrowthBook({
  attributes: { id: 'u-42' },
  features: { 'new-checkout': { defaultValue: false, rules: [{ force: true, coverage: 0.5, hashAttribute: 'id' }] } },
})
console.log(gb.isOn('new-checkout'))
