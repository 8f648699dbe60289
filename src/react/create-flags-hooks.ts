import type { Client, FlagKey, FlagTypes, FlagValue, VariantName } from 'flagstage'
import type { ReactElement, ReactNode } from 'react'
import { useFlagsClient } from './context.ts'
import { Feature } from './feature.tsx'
import type { FeatureProps } from './feature.tsx'
import { FlagsProvider } from './provider.tsx'
import type { FlagsProviderProps } from './provider.tsx'
import { useFlag, useValue, useVariant } from './use-flag.ts'
import type { FlagVariant } from './use-flag.ts'
import { useFlags } from './use-flags.ts'

/** Every flag evaluated, typed by `F`: `{ [key]: { variant, value, enabled } }`. */
export type FlagsState<F extends FlagTypes = FlagTypes> = {
  [K in FlagKey<F>]?: { variant: VariantName<F[K]>; value: FlagValue<F, K>; enabled: boolean }
}

/** The React API with keys and values typed by `F` (the same functions as the plain exports). */
export interface FlagsHooks<F extends FlagTypes> {
  FlagsProvider: (props: FlagsProviderProps<F>) => ReactElement
  /** `<Feature>` with the flag key and (with generated `Flag<value, variants>` types) the variant name checked. */
  Feature: <K extends FlagKey<F>>(props: Omit<FeatureProps, 'flag' | 'variant'> & { flag: K; variant?: VariantName<F[K]> }) => ReactNode
  useFlag: (key: FlagKey<F>, fallback?: boolean) => boolean
  useVariant: <K extends FlagKey<F>>(key: K) => FlagVariant<FlagValue<F, K>, VariantName<F[K]>>
  useValue: <K extends FlagKey<F>>(key: K, fallback: FlagValue<F, K>) => FlagValue<F, K>
  useFlags: () => FlagsState<F>
  useFlagsClient: () => Client<F>
}

/**
 * Typed flag keys for React, like `createClient<Flags>()` for the client: call it once and import
 * the hooks from your module. No runtime cost: it returns the plain exports, typed.
 * @example
 * // flags.ts
 * export type AppFlags = { 'new-checkout': boolean; 'checkout-button': Flag<'blue' | 'green', 'control' | 'treatment'> }
 * // or generated: npx flagstage-types flags.json AppFlags > src/app-flags.ts
 * export const { FlagsProvider, Feature, useFlag, useVariant, useValue } = createFlagsHooks<AppFlags>()
 */
/* @__NO_SIDE_EFFECTS__ */
export const createFlagsHooks = <F extends FlagTypes>(): FlagsHooks<F> =>
  ({ FlagsProvider, Feature, useFlag, useVariant, useValue, useFlags, useFlagsClient }) as unknown as FlagsHooks<F>
