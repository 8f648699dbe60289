import { expect } from 'vitest'
import { FlagstageError } from '../../src/core/errors.ts'
import { validateConfig } from '../../src/core/validate.ts'

/** The INVALID_CONFIG error `check` (validateConfig by default) throws for `doc`; fails the test if it accepts it. */
export const rejection = (doc: unknown, check: (doc: unknown) => unknown = validateConfig): FlagstageError => {
  try {
    check(doc)
  } catch (error) {
    expect(error).toBeInstanceOf(FlagstageError)
    expect((error as FlagstageError).code).toBe('INVALID_CONFIG')
    return error as FlagstageError
  }
  throw new Error(`expected ${check.name || 'the check'} to throw`)
}
