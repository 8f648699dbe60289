import { createClient } from 'flagstage'
import type { Client, JsonValue, SnapshotEntry, Status } from 'flagstage'
import {
  createFlagsHooks, Feature, FlagsProvider, TestFlagsProvider, useFlag, useFlags, useFlagsClient, useFlagsStatus, useValue, useVariant,
} from 'flagstage/react'
import type { FlagsProviderProps, FlagVariant } from 'flagstage/react'
import type { ReactElement, ReactNode } from 'react'
import { describe, expectTypeOf, it } from 'vitest'

type AppFlags = {
  'new-checkout': boolean
  'checkout-button': 'blue' | 'green'
  'max-items': number
  limits: { max: number }
}

describe('plain exports (untyped keys)', () => {
  it('accept any string key and return JSON-typed values', () => {
    expectTypeOf(useFlag).parameter(0).toEqualTypeOf<string>()
    expectTypeOf(useFlag).parameter(1).toEqualTypeOf<boolean | undefined>()
    expectTypeOf(useFlag('x')).toEqualTypeOf<boolean>()
    expectTypeOf(useVariant('x')).toEqualTypeOf<FlagVariant<JsonValue>>()
    expectTypeOf(useVariant('x').name).toEqualTypeOf<string | undefined>()
    expectTypeOf(useFlags()).toEqualTypeOf<Record<string, SnapshotEntry>>()
    expectTypeOf(useFlagsStatus()).toEqualTypeOf<Status>()
    expectTypeOf(useFlagsClient()).toEqualTypeOf<Client>()
  })

  it('widen a literal fallback in useValue', () => {
    expectTypeOf(useValue('x', 10)).toEqualTypeOf<number>()
    expectTypeOf(useValue('x', 'grey')).toEqualTypeOf<string>()
    expectTypeOf(useValue('x', false)).toEqualTypeOf<boolean>()
    expectTypeOf(useValue('x', { max: 1 })).toEqualTypeOf<{ max: number }>()
    // @ts-expect-error: a fallback must be JSON
    useValue('x', new Date())
  })

  it('return elements from the components', () => {
    expectTypeOf(Feature).returns.toEqualTypeOf<ReactNode>()
    expectTypeOf(FlagsProvider).returns.toEqualTypeOf<ReactElement>()
    expectTypeOf(TestFlagsProvider).returns.toEqualTypeOf<ReactElement>()
  })
})

describe('createFlagsHooks<F>() (typed keys, like createClient<F>())', () => {
  const typed = createFlagsHooks<AppFlags>()

  it('accepts only known keys', () => {
    typed.useFlag('new-checkout')
    // @ts-expect-error: unknown key
    typed.useFlag('nope')
    // @ts-expect-error: unknown key
    typed.useVariant('nope')
    // @ts-expect-error: unknown key
    typed.Feature({ flag: 'nope' })
    typed.Feature({ flag: 'new-checkout', fallback: null, children: 'x' })
  })

  it('types variant values and value fallbacks by key', () => {
    expectTypeOf(typed.useVariant('checkout-button').value).toEqualTypeOf<'blue' | 'green' | undefined>()
    expectTypeOf(typed.useValue('max-items', 10)).toEqualTypeOf<number>()
    expectTypeOf(typed.useValue('limits', { max: 0 })).toEqualTypeOf<{ max: number }>()
    // @ts-expect-error: fallback of the wrong type for this key
    typed.useValue('max-items', 'ten')
    // @ts-expect-error: not one of the variant values
    typed.useValue('checkout-button', 'red')
  })

  it('types useFlags and useFlagsClient by F', () => {
    expectTypeOf(typed.useFlags()['max-items']).toEqualTypeOf<{ variant: string; value: number; enabled: boolean } | undefined>()
    expectTypeOf(typed.useFlagsClient()).toEqualTypeOf<Client<AppFlags>>()
    expectTypeOf(typed.useFlagsClient().value('max-items', 1)).toEqualTypeOf<number>()
  })

  it('takes a client created with the same flags type', () => {
    const client = createClient<AppFlags>({ defaults: { 'max-items': 10 } })
    typed.FlagsProvider({ client })
    typed.FlagsProvider({ options: { overrides: { 'new-checkout': 'on' } } })
    // @ts-expect-error: override for an unknown key
    typed.FlagsProvider({ options: { overrides: { nope: 'on' } } })
  })
})

describe('FlagsProvider props', () => {
  const client = createClient()

  it('take a client or options, not both and not neither', () => {
    FlagsProvider({ client })
    FlagsProvider({ options: { context: { userId: 'u-1' } } })
    FlagsProvider({ client, snapshot: client.snapshot() })
    // @ts-expect-error: both
    FlagsProvider({ client, options: {} })
    // @ts-expect-error: neither
    FlagsProvider({})
  })

  it('accept a typed client in the plain provider', () => {
    const typedClient = createClient<AppFlags>()
    FlagsProvider({ client: typedClient })
    expectTypeOf<FlagsProviderProps<AppFlags>>().toHaveProperty('snapshot')
  })
})

describe('TestFlagsProvider', () => {
  it('types flags by F when given', () => {
    TestFlagsProvider({ flags: { a: true, b: 'variant-x', n: 3, o: { x: [1] } } })
    TestFlagsProvider<AppFlags>({ flags: { 'checkout-button': 'green' } })
    // @ts-expect-error: not a value of this key
    TestFlagsProvider<AppFlags>({ flags: { 'checkout-button': 'red' } })
    // @ts-expect-error: not JSON
    TestFlagsProvider({ flags: { a: () => 1 } })
  })
})
