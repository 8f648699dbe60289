import { describe, expect, it } from 'vitest'
import { bucketOf, createClient, type Config } from 'flagstage'

const config: Config = {
  schemaVersion: 1,
  flags: {
    canary: { enabled: true, rules: [{ serve: { rollout: 10 } }] },
    launch: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: '2026-12-01T09:00:00Z' } },
    button: { enabled: true, variants: { a: 1, b: 2 }, offVariant: 'a', rules: [{ serve: { split: { a: 50, b: 50 } } }] },
  },
}

describe('createClient({ buckets })', () => {
  it('compares the pinned bucket with the rollout threshold: 999 is in a 10% rollout, 1000 is not', () => {
    const inside = createClient({ bootstrap: config, context: { userId: 'x' }, buckets: { canary: 999 } })
    const outside = createClient({ bootstrap: config, context: { userId: 'x' }, buckets: { canary: 1000 } })
    expect(inside.isEnabled('canary')).toBe(true)
    expect(inside.explain('canary')).toMatchObject({ bucket: 999, reason: 'SPLIT' })
    expect(outside.isEnabled('canary')).toBe(false)
    expect(outside.forContext({ userId: 'y' }).explain('canary').bucket).toBe(1000)
  })

  it('picks a split variant by the pinned bucket, and leaves other flags hashed', () => {
    const c = createClient({ bootstrap: config, context: { userId: 'x' }, buckets: { button: 4999 } })
    expect(c.variant('button')).toEqual({ name: 'a', value: 1 })
    expect(createClient({ bootstrap: config, context: { userId: 'x' }, buckets: { button: 5000 } }).variant('button').name).toBe('b')
    expect(c.explain('canary').bucket).toBe(bucketOf('canary', 'x'))
  })
})

describe('createClient({ timer })', () => {
  it('arms the next schedule boundary through the given timer, and emits change when it fires', () => {
    let now = Date.parse('2026-12-01T08:00:00Z')
    const armed: { callback: () => void; ms: number; cancelled: boolean }[] = []
    const c = createClient({
      bootstrap: config, now: () => now,
      timer: (callback, ms) => {
        const t = { callback, ms, cancelled: false }
        armed.push(t)
        return () => (t.cancelled = true)
      },
    })
    const changes: string[][] = []
    c.on('change', ({ keys }) => changes.push(keys))
    expect(armed).toHaveLength(1)
    expect(armed[0]!.ms).toBe(3_600_001)
    now += 3_600_001
    armed[0]!.callback()
    expect(changes).toEqual([['launch']])
    expect(c.isEnabled('launch')).toBe(true)
    c.close()
    expect(armed.every((t) => t.cancelled || t === armed[0])).toBe(true)
  })
})
