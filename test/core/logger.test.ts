// The `logger` option: where a client reports, in every build ("no config loaded") and in development.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EVENTUALLY } from '../helpers/timeouts.ts'
import { createClient, logOnce, staticSource } from 'flagstage'
import type { Config, Logger, Source } from 'flagstage'

const memoryLogger = (): Logger & { lines: [string, string][] } => {
  const lines: [string, string][] = []
  return { lines, warn: (m: string) => void lines.push(['warn', m]), error: (m: string) => void lines.push(['error', m]) }
}

/** A source that fails with `message` every time `fail()` is called. */
const failing = () => {
  let report: ((error: never) => void) | undefined
  const source: Source = { start: (_emit, fail) => ((report = fail as never), () => {}) }
  return { source, fail: (code: string, message: string) => report?.({ name: 'FlagstageError', code, message } as never) }
}

const config: Config = { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ serve: 'on' }] } } }

describe('the logger option', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('reports once, as an error, when no config could be loaded', async () => {
    const logger = memoryLogger()
    const { source, fail } = failing()
    const client = createClient({ source, logger })
    client.on('error', () => {})
    fail('HTTP_ERROR', 'https://x.test/flags.json: HTTP 404')
    fail('HTTP_ERROR', 'https://x.test/flags.json: HTTP 404')
    fail('NETWORK_ERROR', 'https://x.test/flags.json: fetch failed (ECONNREFUSED)')
    expect(logger.lines).toEqual([['error', '[flagstage] no config loaded, serving defaults: https://x.test/flags.json: HTTP 404']])
    client.close()
  })

  it('reports an invalid config the source sent', async () => {
    const logger = memoryLogger()
    const client = createClient({ source: staticSource({ schemaVersion: 2, flags: {} }), logger })
    await vi.waitFor(() => expect(client.status().state).toBe('error'), EVENTUALLY)
    expect(logger.lines).toEqual([['error', expect.stringMatching(/^\[flagstage\] no config loaded, serving defaults: schemaVersion: /)]])
    client.close()
  })

  it('does not report "no config" when a bootstrap config serves, only warns in development', async () => {
    const logger = memoryLogger()
    const { source, fail } = failing()
    const client = createClient({ source, bootstrap: config, logger })
    fail('HTTP_ERROR', 'HTTP 500')
    expect(logger.lines).toEqual([['warn', expect.stringContaining("HTTP_ERROR: HTTP 500 (add client.on('error') to handle)")]])
    client.close()
  })

  it('defaults to console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const client = createClient({ source: staticSource('<html>') })
    await vi.waitFor(() => expect(client.status().state).toBe('error'), EVENTUALLY)
    expect(error).toHaveBeenCalledTimes(1)
    expect(client.logger).toBe(console)
    client.close()
  })

  it('is silenced by a logger that does nothing, and a throwing logger breaks nothing', async () => {
    const error = vi.spyOn(console, 'error')
    const warn = vi.spyOn(console, 'warn')
    const quiet = createClient({ source: staticSource(null), logger: { warn() {}, error() {} } })
    const loud = createClient({ source: staticSource(null), logger: { warn() { throw new Error('x') }, error() { throw new Error('x') } } })
    loud.subscribe(() => { throw new Error('listener') })
    await vi.waitFor(() => expect([quiet.status().state, loud.status().state]).toEqual(['error', 'error']), EVENTUALLY)
    expect(loud.isEnabled('f')).toBe(false)
    expect(error).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
    quiet.close()
    loud.close()
  })

  it('routes listener and subscriber failures (development) to the client\'s logger', async () => {
    const logger = memoryLogger()
    const client = createClient({ bootstrap: config, logger })
    client.on('change', () => { throw new Error('listener') })
    client.subscribe(() => { throw new Error('subscriber') })
    client.setContext({ userId: 'u1' })
    client.setContext({ userId: 'u2' })
    expect(logger.lines.map(([level, m]) => [level, m.replace(/;.*/, '')])).toEqual([['warn', '[flagstage] a subscriber threw']])
    client.close()
  })
})

describe('logOnce', () => {
  it('logs a message once per logger and key', () => {
    const a = memoryLogger()
    const b = memoryLogger()
    logOnce(a, 'warn', 'm1')
    logOnce(a, 'warn', 'm1')
    logOnce(a, 'error', 'm2', { detail: 1 })
    logOnce(a, 'warn', 'm3', undefined, 'm1')
    logOnce(b, 'warn', 'm1')
    expect(a.lines).toEqual([['warn', 'm1'], ['error', 'm2']])
    expect(b.lines).toEqual([['warn', 'm1']])
  })
})

// Mutation-testing survivors (src/core/logger.ts, src/core/emitter.ts).
describe('logOnce details', () => {
  it('passes a detail as the second argument, and no second argument without one', () => {
    const calls: unknown[][] = []
    const logger: Logger = { warn: (...args: unknown[]) => void calls.push(args), error: () => {} }
    const cause = new Error('why')
    logOnce(logger, 'warn', 'with', cause)
    logOnce(logger, 'warn', 'without')
    expect(calls).toEqual([['with', cause], ['without']])
  })
})

describe('client event listeners', () => {
  it('a throwing listener is reported with the name of its event (development), once', () => {
    const logger = memoryLogger()
    const client = createClient({ bootstrap: { schemaVersion: 1, flags: { f: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] } } }, logger })
    client.on('change', () => { throw new Error('listener') })
    client.setContext({ plan: 'pro' })
    client.setContext({ plan: 'free' })
    expect(logger.lines).toEqual([['warn', '[flagstage] a "change" listener threw; other listeners still ran']])
    client.close()
  })

  it('off() for an event nobody listens to is a no-op', () => {
    const client = createClient({ bootstrap: config })
    expect(() => client.off('ready', () => {})).not.toThrow()
    client.close()
  })
})
