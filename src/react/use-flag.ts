import type { JsonValue, Widen } from 'flagstage'
import { sameJson, useSelect } from './use-select.ts'

/** What `useVariant` returns: the variant served and its value; `name` is undefined when a default was returned. */
export interface FlagVariant<V = JsonValue, N extends string = string> {
  name: N | undefined
  value: V | undefined
}


/**
 * Whether a flag is enabled for the provider's client (`client.isEnabled`). Re-renders only when
 * this answer changes.
 * @param fallback Returned while the flag is unknown (not in the config, or no config yet).
 * @default fallback: the client's `defaults[key] === true`, else false
 * @example
 * const newCheckout = useFlag('new-checkout')
 */
export const useFlag = (key: string, fallback?: boolean): boolean =>
  useSelect((flags) => (fallback !== undefined && flags.variant(key).name === undefined ? fallback : flags.isEnabled(key)))

/**
 * The variant served (`client.variant`): `{ name, value }`. The object is the same one across renders
 * while name and value are unchanged, so it is safe in dependency arrays.
 * @example
 * const { value: color } = useVariant('checkout-button')
 */
export const useVariant = (key: string): FlagVariant =>
  useSelect(
    (flags) => flags.variant(key),
    (a, b) => a.name === b.name && sameJson(a.value, b.value),
  )

/**
 * The value served (`client.value`), or `fallback` when the flag is unknown or its value is not of
 * `fallback`'s type. Objects keep their identity while their JSON is unchanged.
 * @example
 * const limit = useValue('max-items', 10) // number
 */
export const useValue = <V extends JsonValue>(key: string, fallback: V): Widen<V> =>
  useSelect((flags) => flags.value(key, fallback) as Widen<V>, sameJson)
