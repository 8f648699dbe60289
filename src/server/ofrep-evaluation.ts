import { toFlagstageContext, type Context, type Evaluator, type Explanation, type JsonValue } from 'flagstage'

/** An OFREP evaluation: success (`value`, `reason`, `variant`, `metadata`) or failure (`errorCode`, `errorDetails`). */
export type OfrepEvaluation =
  | { key: string; value: JsonValue; reason: string; variant?: string; metadata: Record<string, string | number> }
  | { key: string; errorCode: string; errorDetails: string }

/** A request body that could not be used: OFREP's `400` with `PARSE_ERROR` or `INVALID_CONTEXT`. */
export interface BadRequest {
  errorCode: 'PARSE_ERROR' | 'INVALID_CONTEXT'
  errorDetails: string
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Read an OFREP request body (`{ "context": { "targetingKey": ..., ... } }`) into a flagstage context
 * (`targetingKey` → `userId`). An empty body is an empty context. Never throws.
 */
export const readContext = (text: string): { context: Context } | { error: BadRequest } => {
  const bad = (errorCode: BadRequest['errorCode'], errorDetails: string) => ({ error: { errorCode, errorDetails } })
  if (text.trim() === '') return { context: {} }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    return bad('PARSE_ERROR', `the request body is not JSON: ${(error as Error).message}`)
  }
  if (!isObject(body)) return bad('PARSE_ERROR', 'the request body must be a JSON object: { "context": { ... } }')
  const context = body.context
  if (context === undefined) return { context: {} }
  if (!isObject(context)) return bad('INVALID_CONTEXT', '"context" must be an object of attributes')
  if (context.targetingKey !== undefined && typeof context.targetingKey !== 'string') {
    return bad('INVALID_CONTEXT', '"context.targetingKey" must be a string')
  }
  return { context: toFlagstageContext(context) }
}

/** OFREP metadata of one evaluation: `revision`, `ruleIndex`, `bucket` (each only when known). */
const metadataOf = (x: Explanation<unknown>): Record<string, string | number> => {
  const metadata: Record<string, string | number> = {}
  if (x.revision !== undefined) metadata.revision = x.revision
  if (x.ruleIndex >= 0) metadata.ruleIndex = x.ruleIndex
  if (x.bucket >= 0) metadata.bucket = x.bucket
  return metadata
}

/**
 * Evaluate one flag into OFREP's shape. Only the outcome leaves: value, variant, reason and
 * metadata; never rules or segments.
 */
export const evaluateFlag = (flags: Evaluator, key: string): OfrepEvaluation => {
  const x = flags.explain(key)
  if (x.errorCode === 'FLAG_NOT_FOUND') return { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag "${key}" is not in the config` }
  if (x.errorCode) return { key, errorCode: x.errorCode, errorDetails: x.errorCode === 'PROVIDER_NOT_READY' ? 'no flagstage config has loaded yet' : `flag "${key}" could not be evaluated` }
  const out: OfrepEvaluation = { key, value: (x.value ?? null) as JsonValue, reason: x.reason, metadata: metadataOf(x) }
  if (x.variant !== undefined) out.variant = x.variant
  return out
}
