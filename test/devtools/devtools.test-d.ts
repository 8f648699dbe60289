import { describe, expectTypeOf, it } from 'vitest'
import { createClient, getOverrides, setOverrides } from 'flagstage'
import { mountDevtools, overrideCookie } from 'flagstage/devtools'

describe('flagstage/devtools types', () => {
  it('takes a typed client and returns an unmount function', () => {
    const client = createClient<{ 'new-checkout': boolean; 'checkout-button': 'blue' | 'green' }>()
    expectTypeOf(mountDevtools(client, { position: 'top-left', cookie: { sameSite: 'Strict' } })).toEqualTypeOf<() => void>()
    expectTypeOf(overrideCookie(client)).toEqualTypeOf<() => void>()
    expectTypeOf(getOverrides(client)).toEqualTypeOf<Record<string, string>>()
    setOverrides(client, { 'new-checkout': 'on' })
    // @ts-expect-error a corner that does not exist
    mountDevtools(client, { position: 'middle' })
  })
})
