// One rule for `defaults` and `value(key, fallback)`: a flag that cannot be evaluated serves its
// `defaults` entry through every read method; `fallback` is the last resort (no default either, or
// a value of another JSON type: TYPE_MISMATCH, visible in explain and a development warning).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from 'flagstage'
import type { Config, Logger } from 'flagstage'

const memoryLogger = (): Logger & { lines: string[] } => {
  const lines: string[] = []
  return { lines, warn: (m: string) => void lines.push(m), error: (m: string) => void lines.push(m) }
}
const config: Config = {
  schemaVersion: 1,
  flags: {
    limit: { enabled: true, variants: { low: 5, high: 50 }, offVariant: 'low', rules: [{ serve: 'high' }] },
    label: { enabled: true, variants: { a: 'A', b: 'B' }, offVariant: 'a' },
  },
}

describe('defaults and value(key, fallback)', () => {
  afterEach(() => vi.restoreAllMocks())

  it('serves the defaults entry of an unknown flag from isEnabled, variant, value and explain alike', () => {
    const client = createClient({ bootstrap: config, defaults: { limit2: 5, on: true } })
    expect(client.value('limit2', 0)).toBe(5)
    expect(client.variant('limit2')).toEqual({ name: undefined, value: 5 })
    expect(client.explain('limit2')).toMatchObject({ value: 5, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
    expect(client.isEnabled('on')).toBe(true)
    expect(client.value('on', false)).toBe(true)
  })

  it('serves defaults before any config is loaded', () => {
    const client = createClient({ source: { start: () => () => {} }, defaults: { limit: 7 } })
    expect([client.value('limit', 0), client.variant('limit').value, client.explain('limit').value]).toEqual([7, 7, 7])
    expect(client.explain('limit').errorCode).toBe('PROVIDER_NOT_READY')
    client.close()
  })

  it('returns the fallback only when there is no default either', () => {
    const client = createClient({ bootstrap: config })
    expect(client.value('missing', 3)).toBe(3)
    expect(client.value('limit', 0)).toBe(50)
  })

  it('reports TYPE_MISMATCH in explain(key, fallback) and warns once in development', () => {
    const logger = memoryLogger()
    const client = createClient({ bootstrap: config, logger })
    expect(client.value('label', 0)).toBe(0)
    expect(client.value('label', 0)).toBe(0)
    expect(client.explain('label', 0)).toMatchObject({ value: 0, reason: 'ERROR', errorCode: 'TYPE_MISMATCH', variant: 'a' })
    expect(client.explain('label')).toMatchObject({ value: 'A', reason: 'DEFAULT' })
    expect(logger.lines).toEqual(['[flagstage] "label" serves string "A", not number: returning the fallback (TYPE_MISMATCH)'])
  })

  it('checks a default against the fallback type too', () => {
    const client = createClient({ bootstrap: config, defaults: { other: 'x' } as never, logger: memoryLogger() })
    expect(client.value('other', 1)).toBe(1)
    expect(client.explain('other', 1).errorCode).toBe('TYPE_MISMATCH')
  })

  it('applies the same rule in forContext evaluators', () => {
    const client = createClient({ bootstrap: config, defaults: { limit2: 5 }, logger: memoryLogger() })
    const request = client.forContext({ userId: 'u1' })
    expect(request.value('limit2', 0)).toBe(5)
    expect(request.explain('label', 0).errorCode).toBe('TYPE_MISMATCH')
  })
})

describe('override typos', () => {
  it('warn in development, naming the flag or the variants it has', () => {
    const logger = memoryLogger()
    const client = createClient({
      bootstrap: config,
      logger,
      overrides: { 'new-chekout': 'off', label: 'purple', limit: 'low' },
    })
    expect(client.variant('limit').name).toBe('low')
    expect(client.variant('label').name).toBe('a')
    expect(logger.lines).toEqual([
      '[flagstage] override for unknown flag "new-chekout" ignored',
      '[flagstage] override "label": "purple" is not a variant (a, b); ignored',
    ])
  })
})
