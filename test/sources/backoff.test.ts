import { describe, expect, it } from 'vitest'
import { createBackoff } from '../../src/sources/backoff.ts'

describe('createBackoff()', () => {
  it('doubles the cap per attempt up to retryMaxMs, scaled by random (full jitter)', () => {
    const backoff = createBackoff({ retryBaseMs: 100, retryMaxMs: 1_000, random: () => 0.5 })
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([50, 100, 200, 400, 500, 500])
  })

  it('starts over after reset()', () => {
    const backoff = createBackoff({ retryBaseMs: 100, retryMaxMs: 1_000, random: () => 1 })
    backoff.next()
    backoff.next()
    backoff.reset()
    expect(backoff.next()).toBe(100)
  })

  it('stays finite after many attempts, even with a base of 0', () => {
    const backoff = createBackoff({ retryBaseMs: 0, retryMaxMs: 1_000, random: () => 1 })
    for (let i = 0; i < 2_000; i++) expect(Number.isFinite(backoff.next())).toBe(true)
    const big = createBackoff({ retryBaseMs: 10, retryMaxMs: 1_000, random: () => 1 })
    for (let i = 0; i < 2_000; i++) big.next()
    expect(big.next()).toBe(1_000)
  })

  it('defaults to 1 s doubling up to 60 s', () => {
    const backoff = createBackoff({ random: () => 1 })
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])
  })

  it('spreads delays over [0, cap) with Math.random', () => {
    const backoff = createBackoff({ retryBaseMs: 1_000, retryMaxMs: 1_000 })
    const delays = Array.from({ length: 1_000 }, () => backoff.next())
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...delays)).toBeLessThan(1_000)
    expect(new Set(delays.map((d) => Math.floor(d / 100))).size).toBe(10)
  })
})
