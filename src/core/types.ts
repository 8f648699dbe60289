/**
 * Public types of the flagstage config model (DESIGN section 3) and of evaluation results.
 * The config is plain JSON data: nothing in it is ever executed.
 */

/** Any JSON value a variant may carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** Attributes of the user/request a flag is evaluated for. Unknown keys are allowed. */
export interface Context {
  userId?: string | number | undefined
  sessionId?: string | number | undefined
  anonymousId?: string | number | undefined
  [attribute: string]: unknown
}

/** Operators for `{ attr, op }` conditions. */
export type Operator =
  | 'in' | 'notIn' | 'eq' | 'neq' | 'contains' | 'startsWith' | 'endsWith' | 'matches'
  | 'lt' | 'lte' | 'gt' | 'gte' | 'before' | 'after'
  | 'semverEq' | 'semverLt' | 'semverLte' | 'semverGt' | 'semverGte' | 'exists' | 'inCidr'

/**
 * Compare one context attribute. `values` (strings, numbers, booleans) for `in` / `notIn`, IPv4 or IPv6
 * addresses and CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`) for `inCidr`; no operand for
 * `exists` (wrap it in `not` for "must not exist"); `value` for the others: a finite number for
 * `lt`/`lte`/`gt`/`gte`, an ISO 8601 instant or epoch milliseconds for `before`/`after`, a version for
 * `semver*`, a regex of at most 256 characters for `matches`, a string, number or boolean otherwise.
 */
export interface AttrCondition {
  attr: string
  op: Operator
  value?: JsonValue
  values?: JsonValue[]
  /** Compare strings case-insensitively. @default false */
  caseInsensitive?: boolean
}

/** A reference to a named segment in `config.segments`. */
export interface SegmentCondition { segment: string }
export interface AllCondition { all: Condition[] }
export interface AnyCondition { any: Condition[] }
export interface NotCondition { not: Condition }

/** A targeting condition: attribute test, segment reference, or a boolean combination. */
export type Condition = AttrCondition | SegmentCondition | AllCondition | AnyCondition | NotCondition

/**
 * A percentage that moves linearly from `from` to `to` between `start` and `end` (ISO 8601 dates, or
 * date-times with a zone; `end` after `start`).
 */
export interface Ramp {
  from: number
  to: number
  start: string
  end: string
}

/**
 * Stickiness: the context attribute that identifies a unit, or attributes tried in order. The name
 * `$random` stands for a fresh random id on every evaluation (a non-sticky rollout, as Unleash's
 * `random` stickiness); put it last.
 */
export type By = string | string[]

/**
 * How a serve hashes units into buckets, for configs translated from other systems (Unleash, flagd);
 * every field defaults to flagstage's own bucketing (DESIGN section 4). The bucket of a unit is
 * `map(murmur3_x86_32(utf8(prefix + unit), seed))`; a rollout of p% takes buckets below
 * `round(p * buckets / 100)`, a split gives each variant `buckets * weight / total` buckets in order.
 */
export interface Bucketing {
  /** Hashed before the unit id. @default `salt + ":"` (rollout), `salt + ":variant:"` (split) */
  prefix?: string
  /** murmur3 seed, an integer from 0 to 2^32 - 1. @default 0 */
  seed?: number
  /** Number of buckets, an integer from 1 to 2^32. With it, split weights are relative (any positive sum). @default 10000 */
  buckets?: number
  /**
   * Hash to bucket: `mod` is `hash % buckets`; `scale` is `floor(hash * buckets / 2^32)` (flagd's
   * fractional); `abs` is the magnitude of the hash read as a signed 32-bit integer (flagd's v1
   * fractional, with `buckets` 2147483647). @default 'mod'
   */
  map?: 'mod' | 'scale' | 'abs'
}

/**
 * Serve `variant` (default `on`) to `rollout`% of units, or split them with `then`; the others fall
 * through to the next rule.
 */
export interface RolloutServe {
  rollout: number | Ramp
  variant?: string
  /** Split the units in the rollout between variants (its own `by`, `salt` and `hash`), instead of serving `variant`. */
  then?: SplitServe
  /** Stickiness attribute(s). @default 'userId' (then 'sessionId', then 'anonymousId') */
  by?: By
  salt?: string
  hash?: Bucketing
}

/**
 * Split units between variants by weight: percentages (>= 0) that must sum to 100 (±0.01), or
 * relative weights when `hash.buckets` is set.
 */
export interface SplitServe {
  split: Record<string, number>
  by?: By
  salt?: string
  hash?: Bucketing
}

/** What a rule serves: a variant name, a rollout or a split. */
export type Serve = string | RolloutServe | SplitServe

/** A targeting rule; a rule without `if` matches everyone. First match wins. */
export interface Rule {
  if?: Condition
  serve: Serve
}

/** A flag is off before `from` and after `until` (ISO 8601 dates, or date-times with a zone; `until` after `from`). */
export interface Schedule {
  from?: string
  until?: string
}

/**
 * A prerequisite: this flag is served only when `flag` evaluates to `variant` (default `on`; a list
 * means any of them, an empty list never), or, with `enabled`, when `flag`'s `isEnabled` answer is
 * `enabled` (then `variant` is not allowed).
 */
export interface Prerequisite {
  flag: string
  variant?: string | string[]
  enabled?: boolean
}

/** One flag definition. */
export interface FlagConfig {
  /** `false` is the kill switch: serves `offVariant` to everyone whatever the rules. */
  enabled: boolean
  /** @default { on: true, off: false } */
  variants?: Record<string, JsonValue>
  /**
   * Served when no rule serves, and to everyone when `enabled` is false. `null`: no variant, so readers
   * get the caller's default (`value(key, fallback)`, the client's `defaults`), as flagd's absent
   * `defaultVariant` does. @default 'off'
   */
  offVariant?: string | null
  /** Rules, first match wins; when none serves, `offVariant` is served. */
  rules?: Rule[]
  /** @default the flag key */
  salt?: string
  schedule?: Schedule
  requires?: Prerequisite[]
  description?: string
}

/**
 * The whole config document a source delivers. `validateConfig` also accepts `$schema` and
 * `description` (strings) and `meta` (an object) at the root, for tooling; any other key is an error.
 */
export interface Config {
  /** Editor hint, e.g. `./node_modules/flagstage/schema.json`; ignored. */
  $schema?: string
  schemaVersion: 1
  /** Opaque; changes on every edit. */
  revision?: string
  description?: string
  /** Free-form metadata for your tooling; ignored by evaluation. */
  meta?: Record<string, JsonValue>
  segments?: Record<string, Condition>
  flags: Record<string, FlagConfig>
}

/**
 * A config as TypeScript types a JSON import of it (`"schemaVersion": 1` becomes `number`, `"op":
 * "in"` a `string`): accepted as `bootstrap` without a cast, and validated when loaded like any
 * config. Annotate literals `: Config` (or `satisfies Config`) to have the editor check them.
 */
export interface ConfigJson {
  $schema?: string
  schemaVersion: number
  revision?: string
  description?: string
  meta?: object
  segments?: { readonly [key: string]: object }
  flags: { readonly [key: string]: object }
}

/** OpenFeature-style resolution reasons. */
export type Reason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'DEFAULT' | 'ERROR'

/** OpenFeature-style evaluation error codes. */
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'PARSE_ERROR' | 'PROVIDER_NOT_READY' | 'GENERAL'

/** Everything about one evaluation, from `client.explain(key)`. */
export interface Explanation<V = JsonValue> {
  key: string
  value: V
  /** Variant name served; undefined when a default was returned. */
  variant: string | undefined
  reason: Reason
  errorCode?: EvaluationErrorCode
  /** Index of the rule that served, or -1. */
  ruleIndex: number
  /** The unit's rollout bucket (0..9999) when a rollout or split was evaluated, else -1. */
  bucket: number
  revision: string | undefined
}

/** One evaluated flag in a snapshot. */
export interface SnapshotEntry {
  variant: string
  value: JsonValue
  /** What `isEnabled` answers for this flag. */
  enabled: boolean
}

/**
 * Evaluated flags for one context (no rules): what a server hands a browser for SSR or from
 * `evaluatedHandler()`. A client bootstrapped from it serves these values until a config arrives.
 */
export interface Snapshot {
  evaluated: true
  revision: string | undefined
  flags: Record<string, SnapshotEntry>
}

/** A document a source emits: a whole config, or an evaluated snapshot. */
export type FlagsDocument = Config | Snapshot
