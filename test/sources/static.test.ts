import { describe, expect, it } from 'vitest'
import { staticSource } from 'flagstage'

describe('staticSource()', () => {
  it('emits the document once, asynchronously, and never fails', async () => {
    const doc = { schemaVersion: 1, revision: 'r1', flags: {} }
    const seen: unknown[] = []
    const errors: unknown[] = []
    staticSource(doc).start((d) => seen.push(d), (e) => errors.push(e))
    expect(seen).toEqual([])
    await Promise.resolve()
    expect(seen).toEqual([doc])
    await new Promise((r) => setTimeout(r, 5))
    expect(seen).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('emits nothing when stopped before the microtask runs', async () => {
    const seen: unknown[] = []
    const stop = staticSource({}).start((d) => seen.push(d), () => {})
    stop()
    await new Promise((r) => setTimeout(r, 5))
    expect(seen).toEqual([])
  })
})
