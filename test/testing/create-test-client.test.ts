import { describe, expect, it } from 'vitest'
import { bucketOf, createClient, type Config } from 'flagstage'
import { createTestClient, createTestClock, withFlags } from 'flagstage/testing'

const config: Config = {
  schemaVersion: 1,
  revision: 'r1',
  flags: {
    'payments-v2': { enabled: true, rules: [{ serve: 'on' }] },
    'new-checkout': {
      enabled: true,
      rules: [{ serve: { rollout: 25 } }],
      requires: [{ flag: 'payments-v2' }],
    },
    'checkout-button': {
      enabled: true,
      variants: { control: 'blue', treatment: 'green' },
      offVariant: 'control',
      rules: [{ serve: { split: { control: 50, treatment: 50 } } }],
    },
    'max-items': { enabled: true, variants: { few: 10, many: 100 }, offVariant: 'few', rules: [{ serve: 'many' }] },
    launch: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: '2026-12-01T09:00:00Z', until: '2026-12-02T09:00:00Z' } },
    canary: {
      enabled: true,
      rules: [{ serve: { rollout: { from: 0, to: 100, start: '2026-12-01T00:00:00Z', end: '2026-12-11T00:00:00Z' } } }],
    },
  },
}

describe('createTestClient: forced values', () => {
  it('forces true/false, a variant name, or a value matched to its variant', () => {
    const client = createTestClient({
      config,
      flags: { 'new-checkout': true, 'checkout-button': 'treatment', 'max-items': 10, 'payments-v2': false },
    })
    expect(client.isEnabled('new-checkout')).toBe(true)
    expect(client.variant('checkout-button')).toEqual({ name: 'treatment', value: 'green' })
    expect(client.variant('max-items')).toEqual({ name: 'few', value: 10 })
    expect(client.isEnabled('payments-v2')).toBe(false)
    expect(createTestClient({ config, flags: { 'checkout-button': 'blue' } }).variant('checkout-button').name).toBe('control')
    expect(createTestClient({ config, flags: { 'checkout-button': false } }).variant('checkout-button').name).toBe('control')
    expect(createTestClient({ config, flags: { 'checkout-button': true } }).variant('checkout-button').name).toBe('treatment')
  })

  it('evaluates unforced flags with the real rules, including prerequisites on forced ones', () => {
    const client = createTestClient({ config, context: { userId: 'u' }, bucket: { 'new-checkout': 0 } })
    expect(client.isEnabled('new-checkout')).toBe(true)
    client.set('payments-v2', false)
    expect(client.isEnabled('new-checkout')).toBe(false)
    expect(client.explain('new-checkout').reason).toBe('DISABLED')
  })

  it('rejects a value that is no variant and a flag that is not in the config, with "did you mean"', () => {
    expect(() => createTestClient({ config, flags: { 'checkout-button': 'treatmnt' } })).toThrow(
      'flags["checkout-button"]: "treatmnt" is neither a variant of "checkout-button" nor a variant\'s value (variants: control, treatment); did you mean "treatment"?',
    )
    expect(() => createTestClient({ config, flags: { 'new-chekout': true } })).toThrow('did you mean "new-checkout"?')
    const client = createTestClient({ config })
    expect(() => client.set('max-items', 42)).toThrow(/variants: few, many/)
    expect(client.variant('max-items').name).toBe('many') // a failed set changes nothing
  })

  it('makes flags of their own without a config', () => {
    const client = createTestClient<{ a: boolean; b: string; c: number }>({ flags: { a: true, b: 'green', c: 3 } })
    expect([client.isEnabled('a'), client.value('b', 'x'), client.value('c', 0), client.isEnabled('c')]).toEqual([true, 'green', 3, true])
    expect(client.variant('b').name).toBe('green')
    client.set('a', false)
    expect(client.isEnabled('a')).toBe(false)
  })

  it('set() emits change for exactly the flags that moved; reset() goes back to the flags given at creation', () => {
    const client = createTestClient({ config, flags: { 'checkout-button': 'control' } })
    const changes: string[][] = []
    client.on('change', ({ keys }) => changes.push(keys))
    client.set({ 'checkout-button': 'treatment', 'max-items': 'few' })
    expect(changes).toEqual([['checkout-button', 'max-items']])
    expect(client.forced()).toEqual({ 'checkout-button': 'treatment', 'max-items': 'few' })
    client.reset()
    expect(client.forced()).toEqual({ 'checkout-button': 'control' })
    expect(client.variant('checkout-button').name).toBe('control')
    expect(client.variant('max-items').name).toBe('many')
    expect(changes).toHaveLength(2)
    expect(client.status()).toMatchObject({ state: 'ready', revision: 'r1' })
  })
})

describe('createTestClient: clock', () => {
  it('fires the schedule boundaries as the clock passes them, without real waiting', () => {
    const client = createTestClient({ config, now: '2026-12-01T08:00:00Z' })
    const changes: string[][] = []
    client.on('change', ({ keys }) => changes.push(keys))
    expect(client.isEnabled('launch')).toBe(false)
    client.clock.advance(59 * 60_000)
    expect(changes).toEqual([])
    client.clock.advance(60_000) // 09:00: the flag is on; the client re-checks 1 ms after a boundary
    expect(client.isEnabled('launch')).toBe(true)
    client.clock.advance(1)
    expect(changes).toEqual([['launch']])
    expect(client.isEnabled('launch')).toBe(true)
    client.clock.set('2026-12-03T00:00:00Z') // past `until`
    expect(client.isEnabled('launch')).toBe(false)
    expect(changes.filter((k) => k.includes('launch'))).toHaveLength(2)
    client.clock.set('2026-12-01T10:00:00Z') // backwards: clients re-check at once
    expect(client.isEnabled('launch')).toBe(true)
    expect(changes.filter((k) => k.includes('launch'))).toHaveLength(3)
    client.close()
    expect(client.clock.pending()).toBe(0)
  })

  it('lets a unit join a ramp when the ramp reaches its bucket, and only then', () => {
    const b = bucketOf('canary', 'test-user') // the ramp goes 0 → 100% over 10 days: 0.01% per 8.64 s
    const client = createTestClient({ config, now: '2026-12-01T00:00:00Z' })
    const changes: number[] = []
    client.on('change', ({ keys }) => keys.includes('canary') && changes.push(client.clock.now()))
    client.clock.advance(10 * 86_400_000)
    expect(changes).toHaveLength(1)
    const joined = changes[0]! - Date.parse('2026-12-01T00:00:00Z')
    // the threshold passes the unit's bucket b at (b + 0.5) / 10000 of the ramp; the client re-checks at least every minute
    const crossing = ((b + 0.5) / 10_000) * 10 * 86_400_000
    expect(joined).toBeGreaterThanOrEqual(crossing)
    expect(joined - crossing).toBeLessThanOrEqual(60_000)
    expect(client.isEnabled('canary')).toBe(true)
  })

  it('shares one clock between clients', () => {
    const clock = createTestClock('2026-12-01T08:00:00Z')
    const a = createTestClient({ config, now: clock })
    const b = createClient({ bootstrap: config, now: clock.now, timer: clock.timer })
    const seen: string[] = []
    a.on('change', () => seen.push('a'))
    b.on('change', () => seen.push('b'))
    clock.advance(3_600_001)
    expect(seen.sort()).toEqual(['a', 'b'])
  })
})

describe('createTestClient: forced buckets', () => {
  it('tests both sides of a rollout edge: bucket 2499 is in a 25% rollout, 2500 is not', () => {
    expect(createTestClient({ config, bucket: { 'new-checkout': 2499 } }).isEnabled('new-checkout')).toBe(true)
    const outside = createTestClient({ config, bucket: { 'new-checkout': 2500 } })
    expect(outside.isEnabled('new-checkout')).toBe(false)
    expect(outside.explain('new-checkout')).toMatchObject({ bucket: 2500, reason: 'DEFAULT' })
  })

  it('picks split variants by the forced bucket', () => {
    expect(createTestClient({ config, bucket: { 'checkout-button': 4999 } }).variant('checkout-button').name).toBe('control')
    expect(createTestClient({ config, bucket: { 'checkout-button': 5000 } }).variant('checkout-button').name).toBe('treatment')
  })
})

describe('withFlags', () => {
  it('forces flags for the duration of a function and restores them after, also when it throws', () => {
    const client = createTestClient({ config, flags: { 'checkout-button': 'control' } })
    const seen = withFlags(client, { 'checkout-button': 'treatment', 'max-items': 'few' }, () => [
      client.variant('checkout-button').name, client.value('max-items', 0),
    ])
    expect(seen).toEqual(['treatment', 10])
    expect(client.forced()).toEqual({ 'checkout-button': 'control' })
    expect(() => withFlags(client, { 'max-items': 'few' }, () => {
      throw new Error('boom')
    })).toThrow('boom')
    expect(client.value('max-items', 0)).toBe(100)
  })

  it('waits for an async function before restoring', async () => {
    const client = createTestClient({ config })
    const pending = withFlags(client, { 'max-items': 'few' }, async () => {
      await Promise.resolve()
      return client.value('max-items', 0)
    })
    expect(client.value('max-items', 0)).toBe(10)
    await expect(pending).resolves.toBe(10)
    expect(client.value('max-items', 0)).toBe(100)
    await expect(withFlags(client, { 'max-items': 'few' }, async () => Promise.reject(new Error('no')))).rejects.toThrow('no')
    expect(client.value('max-items', 0)).toBe(100)
  })

  it('refuses a client that is not a test client', () => {
    expect(() => withFlags(createClient() as never, {}, () => 1)).toThrow(/createTestClient/)
  })
})
