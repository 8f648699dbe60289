// The Worker pattern: a client made at module scope, where workerd refuses I/O ("Disallowed operation
// called within global scope"), starts its source again at the first use inside a request.
import { describe, expect, it, vi } from 'vitest'
import { wakeCounter } from '../helpers/wake-counter.ts'
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

// Mutation-testing survivors (src/core/source-runner.ts).
describe('the source runner', () => {
  const quiet = { warn() {}, error() {} }
  const nested = (depth: number, message: string): Error => {
    let e = new Error(message)
    for (let i = 0; i < depth; i++) e = new Error('wrapped', { cause: e })
    return e
  }
  const failingWith = (error: unknown): Source => ({ start: (_emit, fail) => (queueMicrotask(() => fail(error as FlagstageError)), () => {}) })

  it('finds the refusal up to three causes deep, and stops looking there (a cyclic cause chain cannot hang it)', async () => {
    const errorsOf = async (error: unknown) => {
      const client = createClient({ source: failingWith(error), logger: quiet })
      const errors: string[] = []
      client.on('error', (e) => errors.push(e.message))
      await Promise.resolve()
      await Promise.resolve()
      client.close()
      return errors
    }
    expect(await errorsOf(nested(3, REFUSAL))).toEqual([])
    expect(await errorsOf(nested(4, REFUSAL))).toEqual(['wrapped'])
    const cyclic = new Error('loop') as Error & { cause?: unknown }
    cyclic.cause = cyclic
    expect(await errorsOf(cyclic)).toEqual(['loop'])
  })

  it('reports a start() that throws something other than an Error, and never throws from createClient', async () => {
    const warnings: string[] = []
    const client = createClient({ source: { start: () => { throw 'boom' } }, logger: { warn: (m: string) => void warnings.push(m), error() {} } })
    const errors: string[] = []
    client.on('error', (e) => errors.push(e.code))
    await Promise.resolve()
    expect(errors).toHaveLength(1)
    expect(client.status().state).toBe('error')
    // Nothing is running: waking and stopping it are no-ops, not TypeErrors.
    expect(() => client.forContext({}).isEnabled('a')).not.toThrow()
    await expect(client.ready({ timeoutMs: 1 })).resolves.toMatchObject({ state: 'error' })
    client.close()
    expect(warnings).toEqual([])
  })

  it('stops a source refused while it starts (fail called inside start), and restarts it at the first use', () => {
    let inRequest = false
    let starts = 0
    let stops = 0
    const source: Source = {
      start(emit, fail) {
        starts++
        if (!inRequest) fail(new FlagstageError('NETWORK_ERROR', REFUSAL))
        else emit(config)
        return () => void stops++
      },
    }
    const client = createClient({ source })
    expect([starts, stops]).toEqual([1, 1])
    inRequest = true
    expect(client.isEnabled('a')).toBe(true)
    expect([starts, stops]).toEqual([2, 1])
    client.close()
    expect(stops).toBe(2)
  })

  it('ignores what a dormant source still sends, and tells it so', async () => {
    let emit!: (document: unknown) => unknown
    let fail!: (error: FlagstageError) => void
    const source: Source = { start: (e, f) => ((emit = e), (fail = f), queueMicrotask(() => f(new FlagstageError('NETWORK_ERROR', REFUSAL))), () => {}) }
    const client = createClient({ source })
    const errors = vi.fn()
    client.on('error', errors)
    await Promise.resolve()
    await Promise.resolve()
    expect(emit(config)).toBe(false)
    fail(new FlagstageError('NETWORK_ERROR', 'late'))
    expect(errors).not.toHaveBeenCalled()
    expect(client.status()).toMatchObject({ state: 'loading', revision: undefined })
    client.close()
  })

  it('does not restart a dormant source after close()', async () => {
    const w = workerLike('fails')
    const client = createClient({ source: w.source })
    await Promise.resolve()
    await Promise.resolve()
    w.enter()
    client.close()
    client.isEnabled('a')
    client.forContext({})
    await client.ready()
    expect(w.starts).toBe(1)
  })

  it('once woken from dormancy, leaves plain reads alone again (they do not wake the source)', async () => {
    let inRequest = false
    let wakes = 0
    const source: Source = {
      start(emit, fail) {
        if (!inRequest) queueMicrotask(() => fail(new FlagstageError('NETWORK_ERROR', REFUSAL)))
        else queueMicrotask(() => emit(config))
        const stop: SourceHandle = () => {}
        stop.wake = () => void wakes++
        return stop
      },
    }
    const client = createClient({ source })
    await Promise.resolve()
    await Promise.resolve()
    inRequest = true
    client.isEnabled('a') // restarts it
    await Promise.resolve()
    for (let i = 0; i < 5; i++) client.isEnabled('a')
    expect(wakes).toBe(0)
    client.close()
  })
})
