import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, formatOverrides, getOverrides, parseOverrides, setOverrides, storeOverrides, urlOverrides, withOverrides, type Client, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

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

// Mutation-testing survivors (src/core/set-overrides.ts, src/core/overrides.ts).
describe('overrides at run time, edge cases', () => {
  it('skip entries with an empty key, as in the option', () => {
    const client = createClient({ bootstrap: config })
    setOverrides(client, { '': 'on', 'new-checkout': 'on' })
    expect(getOverrides(client)).toEqual({ 'new-checkout': 'on' })
    expect(withOverrides(client, {}, { '': 'on' }).isEnabled('new-checkout')).toBe(true)
  })

  it('leave an object that is not a flagstage client alone', () => {
    const evaluator = createClient({ bootstrap: config }).forContext({ country: 'US' })
    const foreign = { forContext: () => evaluator, setContext: () => {}, getContext: () => ({}) } as unknown as Client
    expect(getOverrides(foreign)).toEqual({})
    expect(() => setOverrides(foreign, { 'new-checkout': 'on' })).not.toThrow()
    expect(withOverrides(foreign, {}, { 'new-checkout': 'on' })).toBe(evaluator)
    expect(withOverrides(foreign, {}, {})).toBe(evaluator)
  })

  it('withOverrides answers from the config of its moment when pinned (the default), and follows reloads with pin: false', () => {
    const m = manualSource()
    const client = createClient({ source: m.source })
    m.push(config)
    const pinned = withOverrides(client, {}, { 'checkout-button': 'treatment' })
    const live = withOverrides(client, {}, { 'checkout-button': 'treatment' }, { pin: false })
    const explicit = withOverrides(client, {}, { 'checkout-button': 'treatment' }, { pin: true })
    m.push({ ...config, flags: { ...config.flags, 'new-checkout': { enabled: true, rules: [{ serve: 'on' }] } } })
    expect(pinned.isEnabled('new-checkout')).toBe(false)
    expect(explicit.isEnabled('new-checkout')).toBe(false)
    expect(live.isEnabled('new-checkout')).toBe(true)
    expect(live.value('checkout-button', '')).toBe('green')
    client.close()
  })
})

describe('override text and storage outside a browser', () => {
  afterEach(() => vi.unstubAllGlobals())
  const memoryStorage = (): Storage => {
    const items = new Map<string, string>()
    return {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
      clear: () => items.clear(),
      key: () => null,
      get length() { return items.size },
    }
  }

  it('parseOverrides trims around names, and formatOverrides leaves out an empty key', () => {
    expect(Object.fromEntries(parseOverrides(' a : on , b:off '))).toEqual({ a: 'on', b: 'off' })
    expect(formatOverrides({ '': 'on', c: 'off' })).toBe('c:off')
  })

  it('storeOverrides says false without localStorage, or when it throws', () => {
    expect(storeOverrides({ a: 'on' })).toBe(false)
    vi.stubGlobal('localStorage', { ...memoryStorage(), setItem: () => { throw new Error('quota') } })
    expect(storeOverrides({ a: 'on' })).toBe(false)
  })

  it('urlOverrides reads stored overrides where there is storage but no location (a worker, Node with storage)', () => {
    vi.stubGlobal('localStorage', memoryStorage())
    expect(storeOverrides({ a: 'on' })).toBe(true)
    expect(urlOverrides()).toEqual({ a: 'on' })
  })
})
