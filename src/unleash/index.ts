// Public entry of 'flagstage/unleash': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage'.

export { toContext } from './context.ts'
export { unleash } from './source.ts'
export { applyEvents, DISABLED, ENABLED_NO_VARIANT, fromUnleash } from './translate.ts'
export { unleashVariant } from './variant.ts'

export type { UnleashOptions } from './source.ts'
export type { UnleashState } from './translate.ts'
export type {
  UnleashConstraint, UnleashContext, UnleashDelta, UnleashDeltaEvent, UnleashDependency, UnleashFeature, UnleashFeatures,
  UnleashPayload, UnleashSegment, UnleashStrategy, UnleashVariant,
} from './types.ts'
export type { UnleashVariantResult } from './variant.ts'
