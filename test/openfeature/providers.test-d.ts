import type { Provider as ServerProvider } from '@openfeature/server-sdk'
import type { Provider as WebProvider } from '@openfeature/web-sdk'
import { createClient } from 'flagstage'
import { FlagstageProvider, FlagstageWebProvider, type FlagstageProviderOptions } from 'flagstage/openfeature'
import { describe, expectTypeOf, it } from 'vitest'

describe('flagstage/openfeature types', () => {
  it('implements each SDK\'s Provider interface', () => {
    expectTypeOf(new FlagstageProvider({ bootstrap: { schemaVersion: 1, flags: {} } })).toExtend<ServerProvider>()
    expectTypeOf(new FlagstageWebProvider({ bootstrap: { schemaVersion: 1, flags: {} } })).toExtend<WebProvider>()
  })

  it('takes a client or createClient options', () => {
    const client = createClient({ defaults: { a: true } })
    expectTypeOf({ client }).toExtend<FlagstageProviderOptions>()
    expectTypeOf({ bootstrap: { schemaVersion: 1 as const, flags: {} }, readyTimeoutMs: 100, track: () => {} }).toExtend<FlagstageProviderOptions>()
    expectTypeOf({ readyTimeoutMs: '1' }).not.toExtend<FlagstageProviderOptions>()
  })
})
