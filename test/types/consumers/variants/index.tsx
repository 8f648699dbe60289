// flags.ts is generated from flags.json by flagTypes() (the test writes it): keys, values and
// variant names are checked.
import { createClient } from 'flagstage'
import { createFlagsHooks, TestFlagsProvider } from 'flagstage/react'
import type { AppFlags } from './flags'

const client = createClient<AppFlags>({
  overrides: { 'new-checkout': 'on', 'checkout-button': 'treatment' },
  defaults: { 'checkout-button': 'blue' },
})
// @ts-expect-error: "new-checkout" has no variant "onn"
createClient<AppFlags>({ overrides: { 'new-checkout': 'onn' } })
// @ts-expect-error: no flag "new-chekout"
createClient<AppFlags>({ overrides: { 'new-chekout': 'on' } })
// @ts-expect-error: "purple" is not a value of "checkout-button"
createClient<AppFlags>({ defaults: { 'checkout-button': 'purple' } })

export const name: 'control' | 'treatment' | undefined = client.variant('checkout-button').name
export const color: 'blue' | 'green' | undefined = client.variant('checkout-button').value
export const on: boolean = client.value('new-checkout', false)

const { Feature } = createFlagsHooks<AppFlags>()
export const ok = <Feature flag="checkout-button" variant="treatment">green</Feature>
// @ts-expect-error: "checkout-button" has no variant "treatmnt"
export const typo = <Feature flag="checkout-button" variant="treatmnt">green</Feature>

export const test = (
  <TestFlagsProvider<AppFlags> flags={{ 'checkout-button': 'green' }} variants={{ 'checkout-button': 'treatment' }}>
    {ok}
  </TestFlagsProvider>
)
// @ts-expect-error: "checkout-button" has no variant "treatmnt"
export const testTypo = <TestFlagsProvider<AppFlags> flags={{}} variants={{ 'checkout-button': 'treatmnt' }} />
