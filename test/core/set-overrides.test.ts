import { describe, expect, it } from 'vitest'
import { createClient, formatOverrides, getOverrides, parseOverrides, setOverrides, withOverrides, type Config } from 'flagstage'

const config: Config = {
  schemaVersion: 1,
  flags: {
    'new-checkout': { enabled: true, rules: [{ if: { attr: 'country', op: 'eq', value: 'US' }, serve: 'on' }] },
    'checkout-button': { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
  },
}

describe('setOverrides', () => {
  it('forces variants at run time: reads, change events and subscribers follow at once', () => {
    const client = createClient({ bootstrap: config, context: { country: 'FR' } })
    const changes: string[][] = []
    let notified = 0
    client.on('change', ({ keys }) => changes.push(keys))
    client.subscribe(() => notified++)
    setOverrides(client, { 'new-checkout': 'on', 'checkout-button': 'treatment' })
    expect(client.isEnabled('new-checkout')).toBe(true)
    expect(client.explain('checkout-button')).toMatchObject({ value: 'green', reason: 'STATIC' })
    expect(changes).toEqual([['new-checkout', 'checkout-button']])
    expect(notified).toBe(1)
    expect(getOverrides(client)).toEqual({ 'new-checkout': 'on', 'checkout-button': 'treatment' })
    setOverrides(client, { 'checkout-button': 'treatment' }) // replaces the whole map
    expect(client.isEnabled('new-checkout')).toBe(false)
    expect(changes).toEqual([['new-checkout', 'checkout-button'], ['new-checkout']])
    setOverrides(client, {})
    expect(client.value('checkout-button', '')).toBe('blue')
    expect(getOverrides(client)).toEqual({})
  })

  it('replaces the overrides option, keeps the context, and skips empty entries', () => {
    const client = createClient({ bootstrap: config, context: { country: 'FR', userId: 'u' }, overrides: { 'new-checkout': 'on' } })
    expect(getOverrides(client)).toEqual({ 'new-checkout': 'on' })
    setOverrides(client, { 'new-checkout': undefined, 'checkout-button': '', x: null })
    expect(getOverrides(client)).toEqual({})
    expect(client.getContext()).toEqual({ country: 'FR', userId: 'u' })
  })

  it('reaches forContext evaluators too; an unknown variant is ignored as in the option', () => {
    const client = createClient({ bootstrap: config })
    setOverrides(client, { 'new-checkout': 'on', 'checkout-button': 'purple' })
    expect(client.forContext({ country: 'FR' }).isEnabled('new-checkout')).toBe(true)
    expect(client.forContext({}).value('checkout-button', '')).toBe('blue')
  })
})

describe('withOverrides', () => {
  it('adds overrides to one evaluator without changing the client', () => {
    const client = createClient({ bootstrap: config, overrides: { 'checkout-button': 'treatment' } })
    const flags = withOverrides(client, { country: 'FR' }, { 'new-checkout': 'on' })
    expect(flags.isEnabled('new-checkout')).toBe(true)
    expect(flags.value('checkout-button', '')).toBe('green') // the client's own still apply
    expect(flags.explain('new-checkout').reason).toBe('STATIC')
    expect(client.forContext({ country: 'FR' }).isEnabled('new-checkout')).toBe(false)
    expect(getOverrides(client)).toEqual({ 'checkout-button': 'treatment' })
    expect(withOverrides(client, { country: 'US' }, {}).isEnabled('new-checkout')).toBe(true)
  })

  it('follows the client\'s config when unpinned', () => {
    const client = createClient({ bootstrap: config })
    const flags = withOverrides(client, {}, { 'checkout-button': 'treatment' }, { pin: false })
    expect(flags.value('checkout-button', '')).toBe('green')
  })
})

describe('formatOverrides', () => {
  it('writes what parseOverrides reads, leaving out what cannot round-trip', () => {
    const text = formatOverrides({ 'a:b': 'on', c: 'off', 'd,e': 'on', f: 'x,y', g: 'p:q', h: '' })
    expect(text).toBe('a:b:on,c:off')
    expect(Object.fromEntries(parseOverrides(text))).toEqual({ 'a:b': 'on', c: 'off' })
  })
})
