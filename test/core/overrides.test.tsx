// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, urlOverrides, type Config } from 'flagstage'

const config: Config = {
  schemaVersion: 1,
  flags: {
    'new-checkout': { enabled: false, rules: [{ serve: 'on' }] },
    'checkout-button': { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
  },
}
const visit = (search: string) => window.history.replaceState(null, '', `/${search}`)

describe('urlOverrides()', () => {
  afterEach(() => {
    localStorage.clear()
    visit('')
  })

  it('forces variants named in ?flagstage=flag:variant,...', () => {
    visit('?flagstage=new-checkout:on,checkout-button:treatment')
    const c = createClient({ bootstrap: config, overrides: urlOverrides() })
    expect(c.isEnabled('new-checkout')).toBe(true)
    expect(c.value('checkout-button', '')).toBe('green')
  })

  it('remembers them in localStorage across pages, and ?flagstage= clears them', () => {
    visit('?flagstage=new-checkout:on')
    urlOverrides()
    visit('?other=1')
    expect(urlOverrides()).toEqual({ 'new-checkout': 'on' })
    visit('?flagstage=')
    expect(urlOverrides()).toEqual({})
    expect(localStorage.getItem('flagstage:overrides')).toBeNull()
    visit('')
    expect(urlOverrides()).toEqual({})
  })

  it('ignores malformed parts and unknown variants', () => {
    visit('?flagstage=nocolon,:x,new-checkout:,checkout-button:purple')
    const c = createClient({ bootstrap: config, overrides: urlOverrides() })
    expect(urlOverrides()).toEqual({ 'checkout-button': 'purple' })
    expect(c.value('checkout-button', '')).toBe('blue')
  })
})

describe('storeOverrides()', () => {
  afterEach(() => localStorage.clear())

  it('remembers forced variants where urlOverrides() reads them, and {} forgets them', async () => {
    const { storeOverrides } = await import('flagstage')
    expect(storeOverrides({ 'new-checkout': 'on', 'checkout-button': 'treatment' })).toBe(true)
    expect(urlOverrides()).toEqual({ 'new-checkout': 'on', 'checkout-button': 'treatment' })
    storeOverrides({})
    expect(localStorage.getItem('flagstage:overrides')).toBeNull()
    expect(urlOverrides()).toEqual({})
  })
})
