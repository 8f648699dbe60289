import { afterEach, describe, expect, it, vi } from 'vitest'
import { configure, explain, getDefaultClient, isEnabled, value, variant, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const config: Config = {
  schemaVersion: 1,
  flags: {
    'new-checkout': { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] },
    color: { enabled: true, variants: { a: 'blue', b: 'green' }, offVariant: 'a', rules: [{ serve: 'b' }] },
  },
}

describe('configure() and the default client', () => {
  afterEach(() => {
    getDefaultClient()?.close()
    vi.restoreAllMocks()
    vi.unstubAllEnvs()
  })

  // First: the warning is logged once per process, so a later test would not see it again.
  it('does not warn in production before configure()', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(isEnabled('new-checkout')).toBe(false)
    expect(warn).not.toHaveBeenCalled()
  })

  it('returns defaults before configure(), warning once, and never throws', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(getDefaultClient()).toBeUndefined()
    expect(isEnabled('new-checkout')).toBe(false)
    expect(isEnabled('other')).toBe(false)
    expect(value('color', 'red')).toBe('red')
    expect(variant('color')).toStrictEqual({ name: undefined, value: undefined })
    expect(explain('color')).toMatchObject({ key: 'color', value: null, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', ruleIndex: -1, bucket: -1 })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toContain('configure()')
  })

  it('reads the client configure() made, and replaces (closing) it on a second call', async () => {
    const first = configure({ bootstrap: config, context: { plan: 'pro' } })
    expect(getDefaultClient()).toBe(first)
    expect(isEnabled('new-checkout')).toBe(true)
    expect(value('color', '')).toBe('green')
    const second = configure({ bootstrap: config, context: { plan: 'free' } })
    expect(isEnabled('new-checkout')).toBe(false)
    await expect(first.ready()).resolves.toBeDefined()
    expect(getDefaultClient()).toBe(second)
  })

  it('closes the client it replaces: its source is stopped and its pending ready() resolves', async () => {
    const a = manualSource()
    const b = manualSource()
    const first = configure({ source: a.source })
    const waiting = first.ready({ timeoutMs: 60_000 })
    expect([a.starts, a.stops]).toEqual([1, 0])
    configure({ source: b.source })
    expect([a.starts, a.stops]).toEqual([1, 1])
    expect([b.starts, b.stops]).toEqual([1, 0])
    await expect(waiting).resolves.toMatchObject({ state: 'loading' })
    // The closed client takes no more config: a late push from its source changes nothing.
    a.push({ schemaVersion: 1, flags: { 'new-checkout': { enabled: true } } })
    expect(first.isEnabled('new-checkout')).toBe(false)
    expect(isEnabled('new-checkout')).toBe(false)
  })

  // Mutation-testing survivors (Stryker, src/core/default-client.ts).
  it('answers variant() and explain() from the configured client', () => {
    configure({ bootstrap: config })
    expect(variant('color')).toEqual({ name: 'b', value: 'green' })
    expect(explain('color')).toMatchObject({ variant: 'b', value: 'green', ruleIndex: 0 })
  })
})
