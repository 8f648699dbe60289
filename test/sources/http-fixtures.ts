// Shared by the http() tests.
import { expect, vi } from 'vitest'
import { FlagstageError } from 'flagstage'
import type { HttpOptions } from 'flagstage'
import { json } from '../helpers/server.ts'
import type { Handler, TestServer } from '../helpers/server.ts'
import { soon } from './record.ts'
import type { Recording } from './record.ts'

export const config = (revision: string): object => ({ schemaVersion: 1, revision, flags: {} })
// Short intervals keep the suite fast; timeoutMs stays generous so a loaded CI machine does not time out healthy requests.
export const fast: HttpOptions = { pollMs: 40, timeoutMs: 3_000, retryBaseMs: 5, retryMaxMs: 20 }
export const url = (server: TestServer): string => `${server.origin}/flags.json`

/** Fail the first `n` requests with `fault`, then serve `config('ok')`. */
export const faultThenOk = (n: number, fault: Handler): Handler => {
  let seen = 0
  return (req, res) => (++seen <= n ? fault(req, res) : json(res, config('ok')))
}

/** Every error is a FlagstageError with `code` (and `status`); the source emitted a config afterwards. */
export const expectRecovered = async (rec: Recording, code: string, status?: number): Promise<void> => {
  await vi.waitFor(() => expect(rec.docs).toContainEqual(config('ok')), soon)
  expect(rec.errors.length).toBeGreaterThan(0)
  for (const error of rec.errors) {
    expect(error).toBeInstanceOf(FlagstageError)
    expect(error.code).toBe(code)
    if (status) expect(error.status).toBe(status)
  }
  expect(rec.events.at(-1)?.kind).toBe('emit')
}
