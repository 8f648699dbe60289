// The shapes of Unleash's client API (`/api/client/features`, `/api/client/delta`), as far as evaluation reads them.

/** A constraint on one context field. */
export interface UnleashConstraint {
  contextName: string
  operator: string
  values?: string[]
  value?: string
  inverted?: boolean
  caseInsensitive?: boolean
}

/** A payload carried by a variant. */
export interface UnleashPayload {
  type: string
  value: string
}

/** A feature or strategy variant. */
export interface UnleashVariant {
  name: string
  weight: number
  weightType?: string
  stickiness?: string
  payload?: UnleashPayload
  overrides?: { contextName: string; values: string[] }[]
}

/** An activation strategy of a feature. */
export interface UnleashStrategy {
  name: string
  parameters?: Record<string, string | number | undefined> | null
  constraints?: UnleashConstraint[] | null
  segments?: number[] | null
  variants?: UnleashVariant[] | null
  disabled?: boolean | null
}

/** A parent feature this feature depends on. */
export interface UnleashDependency {
  feature: string
  enabled?: boolean
  variants?: string[]
}

/** One feature toggle. */
export interface UnleashFeature {
  name: string
  enabled: boolean
  description?: string | null
  strategies?: UnleashStrategy[] | null
  variants?: UnleashVariant[] | null
  dependencies?: UnleashDependency[] | null
  [field: string]: unknown
}

/** A reusable list of constraints, referenced by id from strategies. */
export interface UnleashSegment {
  id: number
  name?: string
  constraints: UnleashConstraint[]
}

/** The body of `GET /api/client/features`. */
export interface UnleashFeatures {
  version?: number
  features: UnleashFeature[]
  segments?: UnleashSegment[]
  query?: unknown
  meta?: { revisionId?: number; etag?: string | null; queryHash?: string }
}

/** One event of Unleash's delta API (`GET /api/client/delta`). */
export type UnleashDeltaEvent =
  | { type: 'hydration'; eventId: number; features: UnleashFeature[]; segments?: UnleashSegment[] }
  | { type: 'feature-updated'; eventId: number; feature: UnleashFeature }
  | { type: 'feature-removed'; eventId: number; featureName: string; project?: string }
  | { type: 'segment-updated'; eventId: number; segment: UnleashSegment }
  | { type: 'segment-removed'; eventId: number; segmentId: number }

/** The body of `GET /api/client/delta`. */
export interface UnleashDelta {
  events: UnleashDeltaEvent[]
}

/** Unleash's context: well-known fields, plus custom `properties`. */
export interface UnleashContext {
  userId?: string
  sessionId?: string
  remoteAddress?: string
  environment?: string
  appName?: string
  currentTime?: Date | string | number
  properties?: Record<string, string | number | boolean | undefined | null>
  [field: string]: unknown
}
