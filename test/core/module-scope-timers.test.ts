// workerd refuses timers at module scope too ("setting a timeout ... not allowed within global scope"):
// ready({ timeoutMs }) and the schedule timer must not throw there, and arm at the first use in a request.
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, FlagstageError } from 'flagstage'
import type { Config, Source } from 'flagstage'

const REFUSAL = 'Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or connect()), setting a timeout, and generating random values are not allowed within global scope.'
const config: Config = {
  schemaVersion: 1,
  revision: 'r1',
  flags: {
    a: { enabled: true, rules: [{ serve: 'on' }] },
    launch: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: '2026-12-01T09:00:00Z' } },
  },
}
const realSetTimeout = globalThis.setTimeout
const armed: number[] = []
/** Module scope: setTimeout throws as workerd's does. */
const moduleScope = (): void => {
  globalThis.setTimeout = (() => {
    throw new Error(REFUSAL)
  }) as unknown as typeof setTimeout
}
/** Inside a request: timers work (and are recorded). */
const request = (): void => {
  globalThis.setTimeout = ((callback: () => void, ms?: number) => (armed.push(ms ?? 0), realSetTimeout(callback, ms))) as typeof setTimeout
}
afterEach(() => {
  globalThis.setTimeout = realSetTimeout
  armed.length = 0
})

/** A source refused at module scope (as an http() fetch is), delivering `deliver` inside a request. */
const workerSource = (deliver: boolean) => {
  let inRequest = false
  const source: Source = {
    start(emit, fail) {
      if (!inRequest) queueMicrotask(() => fail(new FlagstageError('NETWORK_ERROR', REFUSAL, { cause: new Error(REFUSAL) })))
      else if (deliver) queueMicrotask(() => emit(config))
      return () => {}
    },
  }
  return { source, enter: () => (inRequest = true) }
}

describe('timers refused at module scope (workerd)', () => {
  it('ready({ timeoutMs }) does not throw there, and resolves when the config arrives in a request', async () => {
    const w = workerSource(true)
    moduleScope()
    const client = createClient({ source: w.source })
    const ready = client.ready({ timeoutMs: 60_000 })
    await Promise.resolve()
    request()
    w.enter()
    expect(client.isEnabled('a')).toBe(false) // the first read wakes the source, and arms the deferred timer
    expect(armed).toContain(60_000)
    expect(await ready).toMatchObject({ state: 'ready', revision: 'r1' })
    expect(client.isEnabled('a')).toBe(true)
    client.close()
  })

  it('counts the ready() timeout from when the timer could be armed', async () => {
    const w = workerSource(false)
    moduleScope()
    const client = createClient({ source: w.source })
    let settled = false
    const ready = client.ready({ timeoutMs: 5 }).then((s) => ((settled = true), s))
    await new Promise<void>((resolve) => realSetTimeout(resolve, 30))
    expect(settled).toBe(false) // nothing was armed at module scope
    request()
    w.enter()
    client.isEnabled('a')
    expect(armed).toEqual([5])
    expect(await ready).toMatchObject({ state: 'loading' })
    client.close()
  })

  it('arms the schedule timer at the first use in a request', () => {
    moduleScope()
    const client = createClient({ bootstrap: config, now: () => Date.parse('2026-12-01T08:00:00Z') })
    const changes: string[][] = []
    expect(() => client.on('change', ({ keys }) => changes.push(keys))).not.toThrow()
    request()
    expect(armed).toEqual([])
    expect(client.isEnabled('launch')).toBe(false)
    expect(armed).toEqual([3_600_001])
    client.close()
  })
})
