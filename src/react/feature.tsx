import type { ReactNode } from 'react'
import { useSelect } from './use-select.ts'

/** Props of `<Feature>`. */
export interface FeatureProps {
  /** The flag that gates the children. */
  flag: string
  /** Render the children only when this variant is served (instead of: whenever the flag is enabled). */
  variant?: string
  /** Rendered instead of the children. @default null */
  fallback?: ReactNode
  children?: ReactNode
}

/**
 * Render `children` when `flag` is enabled (or serves `variant`), else `fallback`. Re-renders only
 * when that answer changes.
 * @example
 * <Feature flag="new-checkout" fallback={<OldCheckout />}><NewCheckout /></Feature>
 * <Feature flag="checkout-button" variant="treatment"><GreenButton /></Feature>
 */
export const Feature = ({ flag, variant, fallback = null, children }: FeatureProps): ReactNode =>
  useSelect((flags) => (variant === undefined ? flags.isEnabled(flag) : flags.variant(flag).name === variant))
    ? children
    : fallback
