/** Error codes a `FlagstageError` carries. */
export const ErrorCode = {
  /** The document is not a valid flagstage config; `path` names the first problem. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /**
   * The config uses an opt-in operator (`matches`, `inCidr`) that this app has not registered with
   * `registerOperators`; `path` names the condition's `op`. The config is rejected like an invalid one.
   */
  OPERATOR_NOT_REGISTERED: 'OPERATOR_NOT_REGISTERED',
  /** The payload is not JSON (or is truncated). */
  PARSE_ERROR: 'PARSE_ERROR',
  /** The request could not be made or was cut (connection refused, reset, DNS). */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** The server answered with an error status; `status` holds it. */
  HTTP_ERROR: 'HTTP_ERROR',
  /** The request or `ready()` did not finish in time. */
  TIMEOUT: 'TIMEOUT',
  /** The payload is larger than the source's `maxBytes`. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A merge patch names a revision the client does not have. */
  PATCH_MISMATCH: 'PATCH_MISMATCH',
  /** The persisted cache could not be read or written. */
  CACHE_ERROR: 'CACHE_ERROR',
  /**
   * A document in another format (flagd, Unleash) uses something flagstage cannot translate into its
   * config (a JsonLogic operator outside the supported subset); `path` names it.
   */
  UNSUPPORTED: 'UNSUPPORTED',
  /** A source failed in a way not covered above. */
  SOURCE_ERROR: 'SOURCE_ERROR',
} as const

/** Union of all error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/**
 * What a config problem expected and got, when the value had to be one of a known list (an object's
 * keys, a flag's variants, the segments, the flags, the operators): for "did you mean" suggestions.
 */
export interface ProblemDetails {
  /** The accepted names, in config order. */
  expected: readonly string[]
  /** The value found (a key, for an unexpected key; undefined when missing). */
  got: unknown
}

/** Extra details for a `FlagstageError`. */
export interface FlagstageErrorOptions {
  /** JSON path of the offending value, e.g. `flags["new-checkout"].rules[2].if.op`. */
  path?: string
  /** HTTP status, when the error comes from a response. */
  status?: number
  /** For a config problem: what was expected and what was found (see `ProblemDetails`). */
  details?: ProblemDetails | undefined
  cause?: unknown
}

/**
 * The one error type flagstage reports. `code` says what failed, `path` where in the config.
 * @example
 * client.on('error', (err) => console.warn(err.code, err.path, err.message))
 */
export class FlagstageError extends Error {
  /**
   * `instanceof FlagstageError` holds for an error from any copy of flagstage in the process (the ESM
   * and the CJS build, another bundle): an `Error` with the shape every copy gives its errors (name
   * `FlagstageError`, a string `code`), whichever class made it. Across realms, use `isFlagstageError`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && isFlagstageError(value)
  }

  override readonly name = 'FlagstageError'
  readonly code: ErrorCode
  readonly path: string | undefined
  readonly status: number | undefined
  /** Set on `INVALID_CONFIG` errors whose value had to be one of a known list. */
  readonly details: ProblemDetails | undefined

  constructor(code: ErrorCode, message: string, options: FlagstageErrorOptions = {}) {
    super(options.path ? `${options.path}: ${message}` : message, { cause: options.cause })
    this.code = code
    this.path = options.path
    this.status = options.status
    this.details = options.details
  }
}

/** True for a `FlagstageError`, also one from another realm or bundle copy (it checks the name and the code). */
export const isFlagstageError = (value: unknown): value is FlagstageError => {
  const v = value as { name?: unknown; code?: unknown } | null | undefined
  return v?.name === 'FlagstageError' && typeof v.code == 'string'
}

/** Wrap anything thrown into a `FlagstageError` (kept as is when it already is one). */
export const toFlagstageError = (value: unknown, code: ErrorCode = ErrorCode.SOURCE_ERROR): FlagstageError =>
  isFlagstageError(value)
    ? value
    : new FlagstageError(code, value instanceof Error ? value.message : String(value), { cause: value })
