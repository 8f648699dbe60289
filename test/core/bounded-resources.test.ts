// Issue #9 item 6 and 9: impression de-duplication memory is bounded whatever the unit ids, and
// ready({ timeoutMs }) above the timer limit neither resolves at once nor warns.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EVENTUALLY, SLOW } from '../helpers/timeouts.ts'
import { createClient, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

afterEach(() => vi.restoreAllMocks())

const manyFlags = (n: number): Config => ({
  schemaVersion: 1,
  flags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, { enabled: true, rules: [{ serve: { rollout: 50 } }] }])),
})

describe('bounded resources', () => {
  it('keeps impression de-duplication small for a 200 kB userId read through 200 flags', SLOW, async () => {
    const client = createClient({ bootstrap: manyFlags(200) })
    let impressions = 0
    client.on('impression', () => impressions++)
    ;(globalThis as { gc?: () => void }).gc?.()
    const before = process.memoryUsage().heapUsed
    const huge = 'x'.repeat(200_000) + Math.random()
    const flags = client.forContext({ userId: huge })
    for (let round = 0; round < 2; round++) for (let i = 0; i < 200; i++) flags.isEnabled(`f${i}`)
    await Promise.resolve()
    ;(globalThis as { gc?: () => void }).gc?.()
    const grown = process.memoryUsage().heapUsed - before
    expect(impressions).toBe(200) // de-duplicated: the second round adds none
    // Holding `flag:id` keys would take 200 x 200 kB = 40 MB (the first wave measured 480 MB for 1 MB x 500); hashes take bytes.
    expect(grown).toBeLessThan(12 * 1024 * 1024)
    client.close()
  })

  it('caps ready({ timeoutMs }) at the timer limit: no TimeoutOverflowWarning, and it waits for the config', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error): void => void warnings.push(w)
    process.on('warning', onWarning)
    try {
      const { source, push } = manualSource()
      const client = createClient({ source })
      let settled: string | undefined
      void client.ready({ timeoutMs: 2 ** 31 + 1000 }).then((s) => (settled = s.state))
      await new Promise((resolve) => setTimeout(resolve, 30))
      expect(settled).toBeUndefined() // an overflowing timer would have fired at once (1 ms)
      push({ schemaVersion: 1, flags: {} })
      await vi.waitFor(() => expect(settled).toBe('ready'), EVENTUALLY)
      client.close()
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })
})
