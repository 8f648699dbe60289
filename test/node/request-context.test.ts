import { setImmediate as immediate } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configure, createClient } from 'flagstage'
import { currentContext, currentFlags, explain, isEnabled, value, variant, withContext } from 'flagstage/node'
import { config, sleep } from './helpers.ts'

// Module state of core (the default client) is per test file; this block runs before any configure().
describe('flagstage/node before configure()', () => {
  it('serves defaults outside and inside a context, without throwing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(isEnabled('new-home')).toBe(false)
    expect(variant('checkout-button')).toEqual({ name: undefined, value: undefined })
    expect(value('checkout-button', 'blue')).toBe('blue')
    expect(explain('new-home').reason).toBe('ERROR')
    await withContext({ userId: 'u1', plan: 'pro' }, async () => {
      await immediate()
      expect(isEnabled('new-home')).toBe(false)
      expect(currentFlags().snapshot()).toEqual({ evaluated: true, revision: undefined, flags: {} })
    })
    warn.mockRestore()
  })

  it('follows a default client configured after the request started', async () => {
    await withContext({ userId: 'u1', plan: 'pro' }, async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      expect(isEnabled('new-home')).toBe(false)
      configure({ bootstrap: config() })
      await immediate()
      expect(isEnabled('new-home')).toBe(true)
    })
  })
})

describe('withContext', () => {
  const clients: { close(): void }[] = []
  const client = (revision = 'r1'): ReturnType<typeof createClient> => {
    const c = createClient({ bootstrap: config(revision) })
    clients.push(c)
    return c
  }
  afterEach(() => {
    for (const c of clients.splice(0)) c.close()
    vi.restoreAllMocks()
  })

  it('evaluates isEnabled, variant, value and explain for the context it was given', () => {
    const flags = client()
    withContext({ userId: 'u1', plan: 'pro', country: 'DE' }, () => {
      expect(isEnabled('new-home')).toBe(true)
      expect(variant('checkout-button')).toEqual({ name: 'treatment', value: 'green' })
      expect(value('checkout-button', 'blue')).toBe('green')
      expect(explain('new-home')).toMatchObject({ variant: 'on', reason: 'TARGETING_MATCH', ruleIndex: 1, revision: 'r1' })
      expect(currentContext()).toEqual({ userId: 'u1', plan: 'pro', country: 'DE' })
    }, { client: flags })
  })

  it('returns what the callback returns, promises included', async () => {
    const flags = client()
    expect(withContext({}, () => 42, { client: flags })).toBe(42)
    await expect(withContext({ plan: 'pro' }, async () => isEnabled('new-home'), { client: flags })).resolves.toBe(true)
  })

  it('keeps 200 interleaved async requests from ever seeing each other\'s context', async () => {
    const flags = client()
    const forContext = vi.spyOn(flags, 'forContext')
    // Each hop is a different kind of async boundary, in a random order per request.
    const hops = [
      () => sleep(Math.random() * 5),
      () => immediate(),
      () => Promise.resolve(),
      () => new Promise<void>((resolve) => process.nextTick(resolve)),
      () => new Promise<void>((resolve) => setTimeout(() => queueMicrotask(resolve), 1)),
    ]
    const mismatches: string[] = []
    const check = (i: number, where: string): void => {
      const even = i % 2 === 0
      if (currentContext()?.userId !== `u${i}`) mismatches.push(`${where}: u${i} saw ${String(currentContext()?.userId)}`)
      if (isEnabled('is-even') !== even) mismatches.push(`${where}: u${i} is-even`)
      if (value('checkout-button', '') !== (i % 3 === 0 ? 'green' : 'blue')) mismatches.push(`${where}: u${i} checkout-button`)
      if (currentFlags().snapshot().flags['is-even']?.enabled !== even) mismatches.push(`${where}: u${i} snapshot`)
    }
    const request = (i: number): Promise<void> =>
      withContext({ userId: `u${i}`, parity: i % 2 === 0 ? 'even' : 'odd', country: i % 3 === 0 ? 'DE' : 'FR' }, async () => {
        for (let hop = 0; hop < 6; hop++) {
          check(i, `hop ${hop}`)
          await hops[Math.floor(Math.random() * hops.length)]!()
        }
        // Callbacks scheduled from inside the request run in it too.
        await new Promise<void>((resolve) => setTimeout(() => { check(i, 'timer callback'); resolve() }, Math.random() * 3))
        await Promise.all([1, 2].map(async () => { await sleep(Math.random() * 2); check(i, 'Promise.all branch') }))
      }, { client: flags })
    await Promise.all(Array.from({ length: 200 }, (_, i) => request(i)))
    expect(mismatches).toEqual([])
    // One evaluator per request, however many reads it made.
    expect(forContext).toHaveBeenCalledTimes(200)
  })

  it('lets a nested withContext replace the context and inherit the client', () => {
    const flags = client()
    withContext({ plan: 'pro' }, () => {
      expect(isEnabled('new-home')).toBe(true)
      withContext({ plan: 'free' }, () => expect(isEnabled('new-home')).toBe(false))
      expect(isEnabled('new-home')).toBe(true)
    }, { client: flags })
  })

  it('uses the client it was given over the default client', () => {
    configure({ bootstrap: config('default') })
    const own = client('own')
    withContext({}, () => expect(explain('new-home').revision).toBe('own'), { client: own })
    withContext({}, () => expect(explain('new-home').revision).toBe('default'))
  })

  it('falls back to the default client\'s own context outside any request', () => {
    const flags = configure({ bootstrap: config(), context: { plan: 'pro' } })
    expect(isEnabled('new-home')).toBe(true)
    expect(currentFlags()).toBe(flags)
    expect(currentContext()).toBeUndefined()
    flags.setContext({ plan: 'free' })
    expect(isEnabled('new-home')).toBe(false)
  })

  it('keeps one config for the whole call when a reload lands in the middle of it', async () => {
    let emit: (document: unknown) => void = () => {}
    const flags = createClient({ source: { start: (e) => ((emit = e), () => {}) } })
    clients.push(flags)
    emit(config())
    await withContext({ userId: 'u1' }, async () => {
      expect(isEnabled('new-home')).toBe(false)
      emit(config('r2', { 'new-home': { enabled: true, rules: [{ serve: 'on' }] } }))
      await immediate()
      expect(isEnabled('new-home')).toBe(false)
      expect(explain('new-home').revision).toBe('r1')
    }, { client: flags })
    // The next call reads the new config.
    expect(withContext({ userId: 'u1' }, () => isEnabled('new-home'), { client: flags })).toBe(true)
  })

  it('sees a config change in a running call with pin: false', async () => {
    let emit: (document: unknown) => void = () => {}
    const flags = createClient({ source: { start: (e) => ((emit = e), () => {}) } })
    clients.push(flags)
    emit(config())
    await withContext({ userId: 'u1' }, async () => {
      expect(isEnabled('new-home')).toBe(false)
      emit(config('r2', { 'new-home': { enabled: true, rules: [{ serve: 'on' }] } }))
      await immediate()
      expect(isEnabled('new-home')).toBe(true)
    }, { client: flags, pin: false })
  })
})
