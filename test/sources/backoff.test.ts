import { describe, expect, it } from 'vitest'
import { createBackoff } from '../../src/sources/backoff.ts'

describe('createBackoff()', () => {
  it('doubles the cap per attempt up to maxMs, scaled by random (full jitter)', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0.5 })
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([50, 100, 200, 400, 500, 500])
  })

  it('starts over after reset()', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, random: () => 1 })
    backoff.next()
    backoff.next()
    backoff.reset()
    expect(backoff.next()).toBe(100)
  })

  it('stays finite after many attempts, even with baseMs 0', () => {
    const backoff = createBackoff({ baseMs: 0, maxMs: 1_000, random: () => 1 })
    for (let i = 0; i < 2_000; i++) expect(Number.isFinite(backoff.next())).toBe(true)
    const big = createBackoff({ baseMs: 10, maxMs: 1_000, random: () => 1 })
    for (let i = 0; i < 2_000; i++) big.next()
    expect(big.next()).toBe(1_000)
  })

  it('spreads delays over [0, cap) with Math.random', () => {
    const backoff = createBackoff({ baseMs: 1_000, maxMs: 1_000 })
    const delays = Array.from({ length: 1_000 }, () => backoff.next())
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...delays)).toBeLessThan(1_000)
    expect(new Set(delays.map((d) => Math.floor(d / 100))).size).toBe(10)
  })
})
