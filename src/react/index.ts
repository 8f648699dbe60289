// Public entry of 'flagstage/react': an explicit list, values first, then types, grouped by file.
// 'use client' is added by the tsup banner (a directive here would be duplicated or stripped).

export { useFlagsClient } from './context.ts'
export { createFlagsHooks } from './create-flags-hooks.ts'
export { Feature } from './feature.tsx'
export { FlagsProvider } from './provider.tsx'
export { TestFlagsProvider } from './test-provider.tsx'
export { useFlag, useValue, useVariant } from './use-flag.ts'
export { useFlags, useFlagsStatus } from './use-flags.ts'

export type { FlagsHooks, FlagsState } from './create-flags-hooks.ts'
export type { FeatureProps } from './feature.tsx'
export type { FlagsProviderProps } from './provider.tsx'
export type { TestFlagsProviderProps } from './test-provider.tsx'
export type { FlagVariant } from './use-flag.ts'
