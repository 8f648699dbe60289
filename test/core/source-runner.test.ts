// The Worker pattern: a client made at module scope, where workerd refuses I/O ("Disallowed operation
// called within global scope"), starts its source again at the first use inside a request.
import { describe, expect, it } from 'vitest'
import { createClient, FlagstageError } from 'flagstage'
import type { Source, SourceHandle } from 'flagstage'

const REFUSAL = 'Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or connect()), setting a timeout, and generating random values are not allowed within global scope.'
const config = { schemaVersion: 1, revision: 'r1', flags: { a: { enabled: true, rules: [{ serve: 'on' }] } } }

/** A source refused at "module scope" (until `inRequest`), then delivering `config`. */
const workerLike = (how: 'throws' | 'fails') => {
  let inRequest = false
  let starts = 0
  let stops = 0
  const source: Source = {
    start(emit, fail) {
      starts++
      if (!inRequest) {
        const error = new FlagstageError('NETWORK_ERROR', `https://cdn.example/flags.json: ${REFUSAL}`, { cause: new Error(REFUSAL) })
        if (how === 'throws') throw new Error(REFUSAL)
        queueMicrotask(() => fail(error))
      } else queueMicrotask(() => emit(config))
      return () => void stops++
    },
  }
  return { source, enter: () => (inRequest = true), get starts() { return starts }, get stops() { return stops } }
}

describe('a client created where the runtime refuses I/O (workerd module scope)', () => {
  for (const how of ['fails', 'throws'] as const) {
    it(`goes dormant without reporting an error, and starts at the first use in a request (source ${how})`, async () => {
      const w = workerLike(how)
      const client = createClient({ source: w.source })
      const errors: unknown[] = []
      client.on('error', (e) => errors.push(e))
      await Promise.resolve()
      await Promise.resolve()
      expect(client.status()).toMatchObject({ state: 'loading', lastError: undefined })
      expect(errors).toEqual([])
      expect(w.starts).toBe(1)
      w.enter()
      // First use inside a request: ready() (or forContext, or any read) starts the source again.
      const status = await client.ready({ timeoutMs: 1000 })
      expect(status).toMatchObject({ state: 'ready', revision: 'r1' })
      expect(w.starts).toBe(2)
      expect(client.isEnabled('a')).toBe(true)
      client.close()
      expect(w.stops).toBe(how === 'fails' ? 2 : 1)
    })
  }

  it('restarts on a plain read too (isEnabled), once', async () => {
    const w = workerLike('fails')
    const client = createClient({ source: w.source })
    await Promise.resolve()
    await Promise.resolve()
    w.enter()
    expect(client.isEnabled('a')).toBe(false) // no config yet: this read starts the source
    client.isEnabled('a')
    await Promise.resolve()
    expect(client.isEnabled('a')).toBe(true)
    expect(w.starts).toBe(2)
    client.close()
  })

  it('reports other start failures as before', async () => {
    const client = createClient({ source: { start: () => { throw new Error('boom') } } })
    const errors: string[] = []
    client.on('error', (e) => errors.push(e.message))
    await Promise.resolve()
    expect(errors).toEqual(['boom'])
    client.close()
  })
})

/** A running source whose handle counts `wake()` calls. */
const wakeCounter = () => {
  let wakes = 0
  const source: Source = {
    start() {
      const stop: SourceHandle = () => {}
      stop.wake = () => void wakes++
      return stop
    },
  }
  return { source, get wakes() { return wakes } }
}

describe('wake()', () => {
  it('is called by ready() and forContext(), not by plain reads', () => {
    const w = wakeCounter()
    const client = createClient({ source: w.source })
    client.isEnabled('a')
    expect(w.wakes).toBe(0)
    void client.ready({ timeoutMs: 1 })
    client.forContext({ userId: 'u' })
    expect(w.wakes).toBe(2)
    client.close()
    client.forContext({})
    expect(w.wakes).toBe(2)
  })

  it('is called by the first forContext() of each synchronous run only (a lost timer cannot fire in between)', async () => {
    const w = wakeCounter()
    const client = createClient({ source: w.source })
    for (let i = 0; i < 100; i++) client.forContext({ userId: `u${i}` }).isEnabled('a')
    expect(w.wakes).toBe(1)
    await Promise.resolve()
    client.forContext({})
    client.forContext({})
    expect(w.wakes).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, 0))
    client.forContext({})
    expect(w.wakes).toBe(3)
    client.close()
  })
})
