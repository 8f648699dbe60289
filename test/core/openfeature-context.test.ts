// toFlagstageContext: an OpenFeature evaluation context (and an OFREP request's) as a flagstage context.
import { describe, expect, it } from 'vitest'
import { createClient, toFlagstageContext, type Config } from 'flagstage'

describe('toFlagstageContext', () => {
  it('reads no context as an empty one', () => {
    expect(toFlagstageContext(undefined)).toEqual({})
  })

  it('makes targetingKey the userId, and keeps targetingKey and every other attribute', () => {
    expect(toFlagstageContext({ targetingKey: 'u-42', country: 'US', n: 3 })).toEqual({ targetingKey: 'u-42', country: 'US', n: 3, userId: 'u-42' })
  })

  it('keeps a userId of its own, and copies no targetingKey that is empty or not a string', () => {
    expect(toFlagstageContext({ targetingKey: 'u-42', userId: 'own' })).toEqual({ targetingKey: 'u-42', userId: 'own' })
    expect(toFlagstageContext({ targetingKey: '' })).toEqual({ targetingKey: '' })
    expect(toFlagstageContext({ targetingKey: 42 })).toEqual({ targetingKey: 42 })
  })

  it('writes top-level Dates as ISO 8601 strings, which before/after compare', () => {
    const at = new Date('2026-12-01T09:00:00.000Z')
    const context = toFlagstageContext({ signedUp: at })
    expect(context).toEqual({ signedUp: '2026-12-01T09:00:00.000Z' })
    const config: Config = {
      schemaVersion: 1,
      flags: { early: { enabled: true, rules: [{ if: { attr: 'signedUp', op: 'before', value: '2027-01-01T00:00:00Z' }, serve: 'on' }] } },
    }
    expect(createClient({ bootstrap: config, context }).isEnabled('early')).toBe(true)
  })

  it('keeps a "__proto__" key (parsed JSON) as a plain attribute, not a prototype', () => {
    const context = toFlagstageContext(JSON.parse('{"__proto__": "x", "plan": "pro"}') as Record<string, unknown>)
    expect(Object.getPrototypeOf(context)).toBe(Object.prototype)
    expect(Object.keys(context)).toEqual(['__proto__', 'plan'])
    expect(Object.getOwnPropertyDescriptor(context, '__proto__')).toEqual({ value: 'x', enumerable: true, writable: true, configurable: true })
    const polluting = toFlagstageContext(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>)
    expect((polluting as { polluted?: unknown }).polluted).toBeUndefined()
  })
})
