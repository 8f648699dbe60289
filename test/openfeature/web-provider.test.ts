import { OpenFeature, ProviderEvents, ProviderStatus, type Client as OFClient } from '@openfeature/web-sdk'
import { createClient, FlagstageError, staticSource } from 'flagstage'
import { FlagstageWebProvider } from 'flagstage/openfeature'
import { afterEach, describe, expect, it } from 'vitest'
import { manualSource } from '../helpers/manual-source.ts'
import { config, edited } from './fixtures.ts'

let n = 0
const domain = (): string => `web-${++n}`
afterEach(async () => {
  await OpenFeature.close()
})

const next = (client: OFClient, type: ProviderEvents) =>
  new Promise<unknown>((resolve) => {
    const handler = (details: unknown) => {
      client.removeHandler(type, handler)
      resolve(details)
    }
    client.addHandler(type, handler)
  })

describe('FlagstageWebProvider (web SDK)', () => {
  it('adopts the OpenFeature context at initialize and resolves every type synchronously', async () => {
    const name = domain()
    await OpenFeature.setContext(name, { targetingKey: 'u-1', email: 'a@example.com', plan: 'pro', country: 'NL' })
    const provider = new FlagstageWebProvider({ source: staticSource(config) })
    await OpenFeature.setProviderAndWait(name, provider)
    const of = OpenFeature.getClient(name)
    expect(provider.client.getContext()).toMatchObject({ userId: 'u-1', targetingKey: 'u-1' })
    expect(of.getBooleanDetails('beta', false)).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH', flagMetadata: { revision: 'r1', ruleIndex: 0 } })
    expect(of.getBooleanDetails('kill', true)).toMatchObject({ value: false, reason: 'DISABLED' })
    expect(of.getBooleanDetails('static-on', false)).toMatchObject({ value: true, reason: 'STATIC' })
    const local = createClient({ source: staticSource(config), context: { userId: 'u-1' } })
    await local.ready()
    const x = local.explain('color')
    expect(of.getStringDetails('color', 'none')).toMatchObject({ value: x.value, variant: x.variant, reason: 'SPLIT', flagMetadata: { bucket: x.bucket } })
    expect(of.getNumberValue('limit', 0)).toBe(100.5)
    expect(of.getObjectValue('theme', {})).toEqual([1, 2, 3])
    expect(of.getNumberDetails('nope', 3)).toMatchObject({ value: 3, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
    expect(of.getStringDetails('limit', 'x')).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' })
    local.close()
  })

  it('follows a context change with a local re-evaluation: no source restart, CONTEXT_CHANGED, no CONFIGURATION_CHANGED', async () => {
    const name = domain()
    const manual = manualSource()
    await OpenFeature.setContext(name, { targetingKey: 'u-1', email: 'a@other.org' })
    const provider = new FlagstageWebProvider({ source: manual.source })
    const init = OpenFeature.setProviderAndWait(name, provider)
    manual.push(config)
    await init
    const of = OpenFeature.getClient(name)
    expect(of.getBooleanValue('beta', true)).toBe(false)
    const events: string[] = []
    of.addHandler(ProviderEvents.ConfigurationChanged, () => { events.push('config') })
    of.addHandler(ProviderEvents.Reconciling, () => { events.push('reconciling') })
    const contextChanged = next(of, ProviderEvents.ContextChanged)
    await OpenFeature.setContext(name, { targetingKey: 'u-1', email: 'a@example.com' })
    await contextChanged
    expect(of.getBooleanDetails('beta', false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' })
    expect(events).toEqual([])
    expect(manual.starts).toBe(1)
    expect(manual.stops).toBe(0)
  })

  it('emits CONFIGURATION_CHANGED with the flags whose value changed for the current context', async () => {
    const name = domain()
    const manual = manualSource()
    await OpenFeature.setContext(name, { targetingKey: 'u-1', email: 'a@other.org' })
    const init = OpenFeature.setProviderAndWait(name, new FlagstageWebProvider({ source: manual.source }))
    manual.push(config)
    await init
    const of = OpenFeature.getClient(name)
    const changed = next(of, ProviderEvents.ConfigurationChanged)
    manual.push(edited)
    expect(await changed).toMatchObject({ flagsChanged: ['beta'], metadata: { revision: 'r2' } })
    expect(of.getBooleanValue('beta', false)).toBe(true)
  })

  it('goes STALE while the source fails and READY when it recovers', async () => {
    const name = domain()
    const manual = manualSource()
    const init = OpenFeature.setProviderAndWait(name, new FlagstageWebProvider({ source: manual.source }))
    manual.push(config)
    await init
    const of = OpenFeature.getClient(name)
    const stale = next(of, ProviderEvents.Stale)
    manual.fail(new FlagstageError('TIMEOUT', 'request timed out'))
    expect(await stale).toMatchObject({ message: 'request timed out' })
    expect(of.providerStatus).toBe(ProviderStatus.STALE)
    expect(of.getBooleanValue('static-on', false)).toBe(true)
    const ready = next(of, ProviderEvents.Ready)
    manual.push(config)
    await ready
    expect(of.providerStatus).toBe(ProviderStatus.READY)
  })

  it('reports ERROR from initialize when the source fails first, PARSE_ERROR for a rejected document', async () => {
    const name = domain()
    const manual = manualSource()
    const init = OpenFeature.setProviderAndWait(name, new FlagstageWebProvider({ source: manual.source }))
    manual.push('{"schemaVersion": 1, "flags": ')
    await expect(init).rejects.toMatchObject({ code: 'PARSE_ERROR' })
    const of = OpenFeature.getClient(name)
    expect(of.providerStatus).toBe(ProviderStatus.ERROR)
    expect(of.getBooleanDetails('static-on', false)).toMatchObject({ value: false, errorCode: 'PARSE_ERROR' })
    const ready = next(of, ProviderEvents.Ready)
    manual.push(config)
    await ready
    expect(of.getBooleanValue('static-on', false)).toBe(true)
  })

  it('reports PROVIDER_NOT_READY while the SDK waits for initialize', async () => {
    const name = domain()
    const manual = manualSource()
    const init = OpenFeature.setProviderAndWait(name, new FlagstageWebProvider({ source: manual.source }))
    const of = OpenFeature.getClient(name)
    expect(of.providerStatus).toBe(ProviderStatus.NOT_READY)
    expect(of.getBooleanDetails('static-on', false)).toMatchObject({ value: false, errorCode: 'PROVIDER_NOT_READY' })
    manual.push(config)
    await init
    expect(of.getBooleanValue('static-on', false)).toBe(true)
  })

  it('keeps the client context when OpenFeature has none, and closes only a client it created', async () => {
    const client = createClient({ source: staticSource(config), context: { userId: 'u-7', email: 'x@example.com' } })
    const provider = new FlagstageWebProvider({ client })
    const name = domain()
    await OpenFeature.setProviderAndWait(name, provider)
    expect(OpenFeature.getClient(name).getBooleanValue('beta', false)).toBe(true)
    await provider.onClose()
    await provider.onClose()
    expect(client.isEnabled('beta')).toBe(true)
    expect(client.status().state).toBe('ready')
    client.close()
  })
})
