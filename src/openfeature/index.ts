// Public entry of 'flagstage/openfeature': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage' (external in the build: one core instance). The OpenFeature
// SDKs are optional peers, imported for types only: nothing here loads them at runtime.

export { toFlagstageContext } from 'flagstage'
export { FlagstageEventEmitter, ProviderEvent } from './events.ts'
export { FlagstageProvider } from './server-provider.ts'
export { FlagstageWebProvider } from './web-provider.ts'

export type { FlagstageProviderOptions, ProviderExtras, TrackEvent } from './lifecycle.ts'
export type { FlagType } from './resolution.ts'
