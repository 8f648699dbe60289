import { createClient } from 'flagstage'
import type { Config, ConfigJson, Flag, FlagValue, VariantName } from 'flagstage'
import { createFlagsHooks } from 'flagstage/react'
import { describe, expectTypeOf, it } from 'vitest'

// What flagTypes() generates for a config.
type AppFlags = {
  'new-checkout': Flag<boolean, 'on' | 'off'>
  'checkout-button': Flag<'blue' | 'green', 'control' | 'treatment'>
  legacy: number
}

describe('Flag<value, variant names>', () => {
  const flags = createClient<AppFlags>()

  it('types values as the value type and variant names as the names', () => {
    expectTypeOf(flags.value('checkout-button', 'blue')).toEqualTypeOf<'blue' | 'green'>()
    expectTypeOf(flags.variant('checkout-button').name).toEqualTypeOf<'control' | 'treatment' | undefined>()
    expectTypeOf(flags.variant('checkout-button').value).toEqualTypeOf<'blue' | 'green' | undefined>()
    expectTypeOf(flags.variant('legacy').name).toEqualTypeOf<string | undefined>()
    expectTypeOf(flags.explain('new-checkout').value).toEqualTypeOf<boolean | undefined>()
    expectTypeOf<FlagValue<AppFlags, 'legacy'>>().toEqualTypeOf<number>()
    expectTypeOf<VariantName<AppFlags['new-checkout']>>().toEqualTypeOf<'on' | 'off'>()
  })

  it('checks override and default names', () => {
    createClient<AppFlags>({ overrides: { 'new-checkout': 'on', legacy: 'anything' }, defaults: { 'checkout-button': 'green' } })
    // @ts-expect-error: no variant "onn"
    createClient<AppFlags>({ overrides: { 'new-checkout': 'onn' } })
    // @ts-expect-error: "purple" is no value of checkout-button
    createClient<AppFlags>({ defaults: { 'checkout-button': 'purple' } })
  })

  it('checks <Feature variant> with createFlagsHooks', () => {
    const { Feature } = createFlagsHooks<AppFlags>()
    Feature({ flag: 'checkout-button', variant: 'treatment' })
    // @ts-expect-error: no variant "treatmnt"
    Feature({ flag: 'checkout-button', variant: 'treatmnt' })
  })

  it('leaves untyped clients untyped', () => {
    const loose = createClient()
    expectTypeOf(loose.variant('x').name).toEqualTypeOf<string | undefined>()
    expectTypeOf(loose.value('x', 3)).toEqualTypeOf<number>()
  })
})

describe('ConfigJson', () => {
  it('takes a config as TypeScript types a JSON import, without a cast', () => {
    const json = { schemaVersion: 1 as number, flags: { f: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] } } }
    createClient({ bootstrap: json })
    expectTypeOf(json).toMatchTypeOf<ConfigJson>()
    expectTypeOf<Config>().toMatchTypeOf<ConfigJson>()
  })
})
