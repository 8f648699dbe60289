import { describe, expect, it } from 'vitest'
import { ErrorCode, FlagstageError, isFlagstageError, toFlagstageError } from '../../src/core/errors.ts'

describe('FlagstageError', () => {
  it('carries code, path, status, details and cause, and starts its message with the path', () => {
    const cause = new Error('socket hang up')
    const details = { expected: ['on', 'off'], got: 'of' }
    const error = new FlagstageError(ErrorCode.INVALID_CONFIG, 'expected one of on, off, got "of"', { path: 'flags.a.offVariant', status: 400, details, cause })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('FlagstageError')
    expect(error.code).toBe('INVALID_CONFIG')
    expect(error.message).toBe('flags.a.offVariant: expected one of on, off, got "of"')
    expect(error.path).toBe('flags.a.offVariant')
    expect(error.status).toBe(400)
    expect(error.details).toBe(details)
    expect(error.cause).toBe(cause)
  })

  it('keeps the message as is without a path, or with the root path', () => {
    const plain = new FlagstageError(ErrorCode.TIMEOUT, 'ready() timed out after 1500 ms')
    expect(plain.message).toBe('ready() timed out after 1500 ms')
    expect([plain.path, plain.status, plain.details, plain.cause]).toEqual([undefined, undefined, undefined, undefined])
    expect(new FlagstageError(ErrorCode.INVALID_CONFIG, 'expected an object, got null', { path: '' }).message).toBe('expected an object, got null')
  })

  it('is instanceof for an error of the same shape from another copy of flagstage, and not for look-alikes', () => {
    const fromOtherCopy = Object.assign(new Error('refused'), { name: 'FlagstageError', code: 'NETWORK_ERROR' })
    expect(fromOtherCopy).toBeInstanceOf(FlagstageError)
    // Not an Error: the shape alone is not enough for instanceof (isFlagstageError accepts it, across realms).
    expect({ name: 'FlagstageError', code: 'NETWORK_ERROR' } instanceof FlagstageError).toBe(false)
    expect(Object.assign(new Error('x'), { name: 'FlagstageError' }) instanceof FlagstageError).toBe(false)
    expect(Object.assign(new Error('x'), { code: 'NETWORK_ERROR' }) instanceof FlagstageError).toBe(false)
    expect(new TypeError('x') instanceof FlagstageError).toBe(false)
    expect((null as unknown) instanceof FlagstageError).toBe(false)
  })
})

describe('isFlagstageError', () => {
  it('checks the name and that the code is a string', () => {
    expect(isFlagstageError(new FlagstageError(ErrorCode.HTTP_ERROR, '503', { status: 503 }))).toBe(true)
    expect(isFlagstageError({ name: 'FlagstageError', code: 'HTTP_ERROR' })).toBe(true)
    expect(isFlagstageError({ name: 'FlagstageError', code: 503 })).toBe(false)
    expect(isFlagstageError({ name: 'FlagstageError' })).toBe(false)
    expect(isFlagstageError({ name: 'Error', code: 'HTTP_ERROR' })).toBe(false)
    expect(isFlagstageError(new Error('x'))).toBe(false)
    expect(isFlagstageError(null)).toBe(false)
    expect(isFlagstageError(undefined)).toBe(false)
    expect(isFlagstageError('FlagstageError')).toBe(false)
  })
})

describe('toFlagstageError', () => {
  it('keeps a FlagstageError as it is, whatever the code asked for', () => {
    const error = new FlagstageError(ErrorCode.PARSE_ERROR, 'bad JSON')
    expect(toFlagstageError(error)).toBe(error)
    expect(toFlagstageError(error, ErrorCode.INVALID_CONFIG)).toBe(error)
  })

  it('wraps an Error with its message and as the cause, as SOURCE_ERROR by default', () => {
    const cause = new RangeError('out of range')
    const error = toFlagstageError(cause)
    expect(error).toBeInstanceOf(FlagstageError)
    expect(error.code).toBe('SOURCE_ERROR')
    expect(error.message).toBe('out of range')
    expect(error.cause).toBe(cause)
    expect(error.path).toBeUndefined()
  })

  it('wraps anything else as its string, with the code given', () => {
    const error = toFlagstageError('connection lost', ErrorCode.NETWORK_ERROR)
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toBe('connection lost')
    expect(error.cause).toBe('connection lost')
    expect(toFlagstageError(undefined).message).toBe('undefined')
    expect(toFlagstageError({ code: 'ECONNRESET' }).message).toBe('[object Object]')
  })
})

describe('ErrorCode', () => {
  it('maps each code to its own name', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key)
    expect(Object.keys(ErrorCode)).toEqual([
      'INVALID_CONFIG', 'OPERATOR_NOT_REGISTERED', 'PARSE_ERROR', 'NETWORK_ERROR', 'HTTP_ERROR', 'TIMEOUT',
      'PAYLOAD_TOO_LARGE', 'PATCH_MISMATCH', 'CACHE_ERROR', 'UNSUPPORTED', 'SOURCE_ERROR',
    ])
  })
})
