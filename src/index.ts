// Public entry of 'flagstage': an explicit list, values first, then types, grouped by file.
// Adding a public name is one line here.

export { FlagstageError, ErrorCode, isFlagstageError } from './core/errors.ts'

export type { FlagstageErrorOptions } from './core/errors.ts'
export type {
  AllCondition, AnyCondition, AttrCondition, Condition, Config, Context, EvaluationErrorCode, Explanation,
  FlagConfig, FlagsDocument, JsonValue, NotCondition, Operator, Prerequisite, Ramp, Reason, RolloutServe, Rule,
  Schedule, SegmentCondition, Serve, Snapshot, SnapshotEntry, SplitServe,
} from './core/types.ts'
export type {
  ChangeEvent, Client, ClientEvents, ClientOptions, Evaluator, FlagKey, FlagTypes, ImpressionEvent, Status,
} from './core/client-types.ts'
export type { Cache, CacheEntry, EmitMeta, Source } from './sources/source.ts'
