import { describe, expectTypeOf, it } from 'vitest'
import { createClient, configure, isEnabled, value, type Explanation, type FlagstageError, type Status } from 'flagstage'

type Flags = {
  'new-checkout': boolean
  'checkout-button': 'blue' | 'green'
  'max-items': number
  limits: { max: number }
}

describe('typed flag keys', () => {
  const flags = createClient<Flags>({ defaults: { 'new-checkout': false } })

  it('accepts only known keys', () => {
    expectTypeOf(flags.isEnabled).parameter(0).toEqualTypeOf<keyof Flags>()
    // @ts-expect-error unknown flag key
    flags.isEnabled('new-chekout')
  })

  it('types value() by the flag and its fallback', () => {
    expectTypeOf(flags.value('max-items', 10)).toEqualTypeOf<number>()
    expectTypeOf(flags.value('checkout-button', 'blue')).toEqualTypeOf<'blue' | 'green'>()
    expectTypeOf(flags.value('limits', { max: 1 })).toEqualTypeOf<{ max: number }>()
    // @ts-expect-error fallback of the wrong type
    flags.value('max-items', 'ten')
  })

  it('types variant() and explain()', () => {
    expectTypeOf(flags.variant('checkout-button')).toEqualTypeOf<{ name: string | undefined; value: 'blue' | 'green' | undefined }>()
    expectTypeOf(flags.explain('max-items')).toEqualTypeOf<Explanation<number | undefined>>()
  })

  it('types defaults and overrides by key', () => {
    // @ts-expect-error default of the wrong type
    createClient<Flags>({ defaults: { 'max-items': 'x' } })
    // @ts-expect-error unknown key in overrides
    createClient<Flags>({ overrides: { nope: 'on' } })
  })

  it('types events and ready()', () => {
    flags.on('change', (e) => expectTypeOf(e.keys).toEqualTypeOf<string[]>())
    flags.on('error', (e) => expectTypeOf(e).toEqualTypeOf<FlagstageError>())
    expectTypeOf(flags.ready()).resolves.toEqualTypeOf<Status>()
    // @ts-expect-error unknown event
    flags.on('changed', () => {})
  })

  it('is untyped (any string key) without a type argument', () => {
    const loose = createClient()
    expectTypeOf(loose.isEnabled('anything')).toEqualTypeOf<boolean>()
    expectTypeOf(isEnabled).parameter(0).toEqualTypeOf<string>()
    expectTypeOf(value('x', 3)).toEqualTypeOf<number>()
    expectTypeOf(configure<Flags>({})).toEqualTypeOf<ReturnType<typeof createClient<Flags>>>()
  })
})
