import type { Client, FlagKey, FlagTypes } from 'flagstage'
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
export type FlagsState<F extends FlagTypes = FlagTypes> = { [K in FlagKey<F>]?: { variant: string; value: F[K]; enabled: boolean } }

/** The React API with keys and values typed by `F` (the same functions as the plain exports). */
export interface FlagsHooks<F extends FlagTypes> {
  FlagsProvider: (props: FlagsProviderProps<F>) => ReactElement
  Feature: (props: FeatureProps & { flag: FlagKey<F> }) => ReactNode
  useFlag: (key: FlagKey<F>, fallback?: boolean) => boolean
  useVariant: <K extends FlagKey<F>>(key: K) => FlagVariant<F[K]>
  useValue: <K extends FlagKey<F>>(key: K, fallback: F[K]) => F[K]
  useFlags: () => FlagsState<F>
  useFlagsClient: () => Client<F>
}

/**
 * Typed flag keys for React, like `createClient<Flags>()` for the client: call it once and import
 * the hooks from your module. No runtime cost: it returns the plain exports, typed.
 * @example
 * // flags.ts
 * export type AppFlags = { 'new-checkout': boolean; 'checkout-button': 'blue' | 'green' }
 * export const { FlagsProvider, Feature, useFlag, useVariant, useValue } = createFlagsHooks<AppFlags>()
 */
/* @__NO_SIDE_EFFECTS__ */
export const createFlagsHooks = <F extends FlagTypes>(): FlagsHooks<F> =>
  ({ FlagsProvider, Feature, useFlag, useVariant, useValue, useFlags, useFlagsClient }) as unknown as FlagsHooks<F>
