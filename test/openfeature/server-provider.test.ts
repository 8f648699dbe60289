import { OpenFeature, ProviderEvents, ProviderStatus, type EvaluationDetails, type FlagValue, type Hook } from '@openfeature/server-sdk'
import { createClient, FlagstageError, staticSource } from 'flagstage'
import { FlagstageProvider } from 'flagstage/openfeature'
import { afterEach, describe, expect, it } from 'vitest'
import { manualSource } from '../helpers/manual-source.ts'
import { config, edited } from './fixtures.ts'

let n = 0
/** A fresh OpenFeature domain per test: the API object is a process-wide singleton. */
const domain = (): string => `server-${++n}`
afterEach(async () => {
  await OpenFeature.close()
})

const setup = async (provider: FlagstageProvider) => {
  const name = domain()
  await OpenFeature.setProviderAndWait(name, provider).catch(() => {})
  return OpenFeature.getClient(name)
}

/** Resolves with the next event of `type` on `client`. */
const next = (client: ReturnType<typeof OpenFeature.getClient>, type: ProviderEvents) =>
  new Promise<unknown>((resolve) => {
    const handler = (details: unknown) => {
      client.removeHandler(type, handler)
      resolve(details)
    }
    client.addHandler(type, handler)
  })

describe('FlagstageProvider (server SDK)', () => {
  it('resolves every type with flagstage reasons, variants and flag metadata', async () => {
    const of = await setup(new FlagstageProvider({ source: staticSource(config) }))
    expect(of.providerStatus).toBe(ProviderStatus.READY)

    const kill = await of.getBooleanDetails('kill', true)
    expect(kill).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED', flagMetadata: { revision: 'r1' } })
    expect(kill.errorCode).toBeUndefined()
    expect(await of.getBooleanDetails('static-on', false)).toMatchObject({ value: true, variant: 'on', reason: 'STATIC', flagMetadata: { ruleIndex: 0 } })
    expect(await of.getBooleanDetails('beta', false, { targetingKey: 'u1', email: 'a@example.com' }))
      .toMatchObject({ value: true, reason: 'TARGETING_MATCH', flagMetadata: { revision: 'r1', ruleIndex: 0 } })
    expect(await of.getBooleanDetails('beta', true, { targetingKey: 'u1', email: 'a@other.org' }))
      .toMatchObject({ value: false, variant: 'off', reason: 'DEFAULT' })
    expect(await of.getStringDetails('color', 'none', { targetingKey: 'u1' })).toMatchObject({ reason: 'SPLIT' })
    expect(await of.getNumberValue('limit', 0, { targetingKey: 'u1', plan: 'pro' })).toBe(100.5)
    expect(await of.getNumberDetails('limit', 0, { targetingKey: 'u1' })).toMatchObject({ value: 10, variant: 'low', reason: 'DEFAULT' })
    expect(await of.getObjectValue('theme', {}, { targetingKey: 'u1' })).toEqual({ mode: 'dark', contrast: 2 })
    expect(await of.getObjectValue('theme', {}, { targetingKey: 'u1', country: 'NL' })).toEqual([1, 2, 3])
  })

  it('places a targeting key in the same bucket as a local evaluation with userId, per call', async () => {
    const local = createClient({ source: staticSource(config) })
    const of = await setup(new FlagstageProvider({ source: staticSource(config) }))
    const keys = Array.from({ length: 300 }, (_, i) => `user-${i}`)
    // All at once: calls must not share context.
    const results = await Promise.all(keys.map((k) => of.getStringDetails('color', 'none', { targetingKey: k })))
    let green = 0
    results.forEach((details, i) => {
      const x = local.forContext({ userId: keys[i]! }).explain('color')
      expect(details).toMatchObject({ value: x.value, variant: x.variant, reason: 'SPLIT', flagMetadata: { bucket: x.bucket, ruleIndex: 0 } })
      if (details.value === 'green') green++
    })
    expect(green).toBeGreaterThan(100)
    expect(green).toBeLessThan(200)
    // A userId of the context's own wins over the targeting key.
    const own = await of.getBooleanDetails('rollout', false, { targetingKey: 'user-1', userId: 'someone-else' })
    expect(own.flagMetadata.bucket).toBe(local.forContext({ userId: 'someone-else' }).explain('rollout').bucket)
    local.close()
  })

  it('returns the code default with FLAG_NOT_FOUND and TYPE_MISMATCH', async () => {
    const of = await setup(new FlagstageProvider({ source: staticSource(config) }))
    const missing = await of.getBooleanDetails('nope', true)
    expect(missing).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
    expect(missing.errorMessage).toContain('"nope"')
    const wrong = await of.getNumberDetails('static-on', 7)
    expect(wrong).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' })
    expect(wrong.errorMessage).toContain('boolean')
    expect(await of.getObjectDetails('limit', { a: 1 })).toMatchObject({ value: { a: 1 }, errorCode: 'TYPE_MISMATCH' })
    expect(await of.getStringDetails('theme', 'x')).toMatchObject({ value: 'x', errorCode: 'TYPE_MISMATCH' })
    expect(await of.getBooleanDetails('color', false)).toMatchObject({ value: false, errorCode: 'TYPE_MISMATCH' })
  })

  it('reports PROVIDER_NOT_READY when initialize finds no config, then READY when one arrives', async () => {
    const manual = manualSource()
    const provider = new FlagstageProvider({ source: manual.source, readyTimeoutMs: 20 })
    const name = domain()
    await expect(OpenFeature.setProviderAndWait(name, provider)).rejects.toMatchObject({ code: 'PROVIDER_NOT_READY' })
    const of = OpenFeature.getClient(name)
    expect(of.providerStatus).toBe(ProviderStatus.ERROR)
    expect(await of.getBooleanDetails('static-on', false)).toMatchObject({ value: false, errorCode: 'PROVIDER_NOT_READY' })
    const ready = next(of, ProviderEvents.Ready)
    manual.push(config)
    await ready
    expect(of.providerStatus).toBe(ProviderStatus.READY)
    expect(await of.getBooleanValue('static-on', false)).toBe(true)
  })

  it('reports PARSE_ERROR when the only document the source sent was rejected', async () => {
    const manual = manualSource()
    const provider = new FlagstageProvider({ source: manual.source })
    const name = domain()
    const init = OpenFeature.setProviderAndWait(name, provider)
    manual.push({ schemaVersion: 1, flags: { broken: { enabled: 'yes' } } })
    await expect(init).rejects.toMatchObject({ code: 'PARSE_ERROR' })
    const details = await OpenFeature.getClient(name).getBooleanDetails('broken', true)
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'PARSE_ERROR' })
    expect(details.errorMessage).toContain('enabled')
  })

  it('reports GENERAL when evaluation throws', async () => {
    const client = createClient({ source: staticSource(config) })
    const broken = { ...client, forContext: () => { throw new Error('boom') } }
    const of = await setup(new FlagstageProvider({ client: broken }))
    const details = await of.getBooleanDetails('static-on', false)
    expect(details).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' })
    expect(details.errorMessage).toContain('boom')
    client.close()
  })

  it('emits CONFIGURATION_CHANGED with the flags whose definition changed', async () => {
    const manual = manualSource()
    const provider = new FlagstageProvider({ source: manual.source })
    const name = domain()
    const init = OpenFeature.setProviderAndWait(name, provider)
    manual.push(config)
    await init
    const of = OpenFeature.getClient(name)
    const changed = next(of, ProviderEvents.ConfigurationChanged)
    manual.push(edited)
    expect(await changed).toMatchObject({ flagsChanged: ['beta'], metadata: { revision: 'r2' }, providerName: 'flagstage' })
    expect(await of.getBooleanDetails('beta', false, { targetingKey: 'x' })).toMatchObject({ value: true, flagMetadata: { revision: 'r2' } })
  })

  it('goes STALE while the source fails over a good config, and READY when it recovers', async () => {
    const manual = manualSource()
    const name = domain()
    const init = OpenFeature.setProviderAndWait(name, new FlagstageProvider({ source: manual.source }))
    manual.push(config)
    await init
    const of = OpenFeature.getClient(name)
    const stale = next(of, ProviderEvents.Stale)
    manual.fail(new FlagstageError('NETWORK_ERROR', 'connection refused'))
    expect(await stale).toMatchObject({ message: 'connection refused' })
    expect(of.providerStatus).toBe(ProviderStatus.STALE)
    // The good config stays in force.
    expect(await of.getBooleanValue('static-on', false)).toBe(true)
    const ready = next(of, ProviderEvents.Ready)
    manual.push(undefined, { notModified: true }) // a 304 confirms the config in force
    await ready
    expect(of.providerStatus).toBe(ProviderStatus.READY)
    const staleAgain = next(of, ProviderEvents.Stale)
    manual.fail(new FlagstageError('HTTP_ERROR', 'HTTP 503', { status: 503 }))
    await staleAgain
    const readyAgain = next(of, ProviderEvents.Ready)
    manual.push(edited)
    await readyAgain
    expect(of.providerStatus).toBe(ProviderStatus.READY)
  })

  it('closes a client it created, once, and never one it was given', async () => {
    const manual = manualSource()
    const owned = new FlagstageProvider({ source: manual.source, bootstrap: config })
    await owned.initialize()
    await owned.onClose()
    await owned.onClose()
    expect(manual.stops).toBe(1)

    const given = manualSource()
    const client = createClient({ source: given.source })
    const provider = new FlagstageProvider({ client })
    given.push(config)
    await provider.initialize()
    await provider.onClose()
    expect(given.stops).toBe(0)
    given.push(edited)
    expect(client.explain('beta').revision).toBe('r2')
    client.close()
  })

  it('is READY at once with a bootstrap config; the source answer comes as CONFIGURATION_CHANGED', async () => {
    const manual = manualSource()
    const of = await setup(new FlagstageProvider({ source: manual.source, bootstrap: config }))
    expect(of.providerStatus).toBe(ProviderStatus.READY)
    expect(await of.getBooleanValue('static-on', false)).toBe(true)
    const changed = next(of, ProviderEvents.ConfigurationChanged)
    manual.push(edited)
    expect(await changed).toMatchObject({ flagsChanged: ['beta'] })
  })

  it('is READY, then STALE, when it starts on a bootstrap config while the source is failing', async () => {
    const manual = manualSource()
    const provider = new FlagstageProvider({ source: manual.source, bootstrap: config })
    manual.fail(new FlagstageError('NETWORK_ERROR', 'connection refused'))
    const name = domain()
    const of = OpenFeature.getClient(name)
    const stale = next(of, ProviderEvents.Stale)
    await OpenFeature.setProviderAndWait(name, provider)
    await stale
    expect(of.providerStatus).toBe(ProviderStatus.STALE)
    expect(await of.getBooleanValue('static-on', false)).toBe(true)
  })

  it('stops emitting after onClose', async () => {
    const manual = manualSource()
    const provider = new FlagstageProvider({ source: manual.source })
    manual.push(config)
    await provider.initialize()
    const seen: string[] = []
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, () => { seen.push('changed') })
    manual.push(edited)
    await provider.onClose()
    manual.push(config)
    expect(seen).toEqual(['changed'])
  })

  it('forwards track() with the mapped context', async () => {
    const tracked: unknown[] = []
    const of = await setup(new FlagstageProvider({ source: staticSource(config), track: (event) => tracked.push(event) }))
    of.track('checkout-completed', { targetingKey: 'u-9', plan: 'pro' }, { value: 42, currency: 'EUR' })
    expect(tracked).toEqual([{
      name: 'checkout-completed',
      context: { targetingKey: 'u-9', plan: 'pro', userId: 'u-9' },
      details: { value: 42, currency: 'EUR' },
    }])
  })

  it('lets hooks (such as the OpenTelemetry ones) read provider name, variant, reason and flag metadata', async () => {
    const seen: EvaluationDetails<FlagValue>[] = []
    const names: string[] = []
    const hook: Hook = {
      after: (context, details) => {
        names.push(context.providerMetadata.name)
        seen.push(details)
      },
    }
    const of = await setup(new FlagstageProvider({ source: staticSource(config) }))
    of.addHooks(hook)
    await of.getBooleanValue('rollout', false, { targetingKey: 'u-3' })
    expect(names).toEqual(['flagstage'])
    expect(seen[0]).toMatchObject({ flagKey: 'rollout', flagMetadata: { revision: 'r1', bucket: expect.any(Number) } })
    expect(['SPLIT', 'DEFAULT']).toContain(seen[0]!.reason)
  })

  it('maps Date attributes to ISO strings for before/after rules', async () => {
    const dated = {
      ...config,
      flags: { early: { enabled: true, rules: [{ if: { attr: 'signup', op: 'before' as const, value: '2026-01-01T00:00:00Z' }, serve: 'on' }] } },
    }
    const of = await setup(new FlagstageProvider({ source: staticSource(dated) }))
    expect(await of.getBooleanValue('early', false, { signup: new Date('2025-06-01T00:00:00Z') })).toBe(true)
    expect(await of.getBooleanValue('early', true, { signup: new Date('2026-06-01T00:00:00Z') })).toBe(false)
  })
})
