// Public entry of 'flagstage': an explicit list, values first, then types, grouped by file.
// Adding a public name is one line here.

export { createClient } from './core/client.ts'
export { closestName } from './core/closest-name.ts'
export { describeFlag } from './core/describe.ts'
export { configure, explain, getDefaultClient, isEnabled, value, variant } from './core/default-client.ts'
export { FlagstageError, ErrorCode, isFlagstageError } from './core/errors.ts'
export { bucketOf, murmur3, variantBucketOf } from './core/hash.ts'
export { toFlagstageContext } from './core/openfeature-context.ts'
export { logOnce } from './core/logger.ts'
export { formatOverrides, parseOverrides, storeOverrides, urlOverrides } from './core/overrides.ts'
export { getOverrides, setOverrides, withOverrides } from './core/set-overrides.ts'
export { flagTypes } from './core/typegen.ts'
export { compileRegex } from './core/regex.ts'
export { inCidrOperator } from './core/in-cidr.ts'
export { matchesOperator } from './core/matches.ts'
export { registerOperators } from './core/operators.ts'
export { configProblems, validateConfig } from './core/validate.ts'
export { http } from './sources/http.ts'
export { localStorageCache } from './sources/local-storage-cache.ts'
export { mapSource } from './sources/map-source.ts'
export { mergePatch } from './sources/merge-patch.ts'
export { mergePatchDiff } from './sources/merge-patch-diff.ts'
export { sse } from './sources/sse.ts'
export { staticSource } from './sources/static.ts'

export type { ConditionDescription, DescribeOptions, FlagDescription, PrerequisiteDescription, RuleDescription } from './core/describe.ts'
export type { FlagstageErrorOptions, ProblemDetails } from './core/errors.ts'
export type { RegexTest } from './core/regex.ts'
export type { OptionalOperator } from './core/operators.ts'
export type {
  AllCondition, AnyCondition, AttrCondition, Bucketing, By, Condition, Config, ConfigJson, Context, EvaluationErrorCode, Explanation,
  FlagConfig, FlagsDocument, JsonValue, NotCondition, Operator, Prerequisite, Ramp, Reason, RolloutServe, Rule,
  Schedule, SegmentCondition, Serve, Snapshot, SnapshotEntry, SplitServe,
} from './core/types.ts'
export type {
  ChangeEvent, Client, ClientEvents, ClientOptions, ConfigEvent, Evaluator, Flag, FlagKey, FlagTypes, FlagValue, ForContextOptions, ImpressionEvent,
  Status, ValueOf, ValueType, VariantName, Widen,
} from './core/client-types.ts'
export type { HttpOptions } from './sources/http.ts'
export type { Logger } from './core/logger.ts'
export type { LocalStorageCacheOptions, StorageLike } from './sources/local-storage-cache.ts'
export type { FetchFunction, HeadersOption, RequestOptions } from './sources/request.ts'
export type { Cache, CacheEntry, EmitMeta, Source, SourceHandle } from './core/source.ts'
export type { SseOptions } from './sources/sse.ts'
