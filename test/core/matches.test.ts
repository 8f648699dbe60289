// The matches operator's own edges (src/core/matches.ts; the engine is regex.test.ts): what it says of an
// operand that is not a string, and that only string attributes are searched.
import { describe, expect, it } from 'vitest'
import { createClient, isFlagstageError, matchesOperator, registerOperators, validateConfig, type Config } from 'flagstage'

registerOperators(matchesOperator)

const config = (value: unknown, caseInsensitive?: boolean): Config => ({
  schemaVersion: 1,
  flags: { f: { enabled: true, rules: [{ if: { attr: 'a', op: 'matches', value, ...(caseInsensitive !== undefined && { caseInsensitive }) } as never, serve: 'on' }] } },
})

describe('matches', () => {
  it.each([[['a']], [{ length: 1 }], [1], [true]])('rejects the operand %j as not a regex string, at its path', (value) => {
    let error: unknown
    try {
      validateConfig(config(value))
    } catch (e) {
      error = e
    }
    expect(isFlagstageError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', path: 'flags.f.rules[0].if.value' })
    expect((error as Error).message).toContain('expected a regex of at most 256 chars')
  })

  it('searches string attributes only: a number, boolean or object never matches, even a pattern that matches everything', () => {
    for (const pattern of ['^', '', '$', '\\d*', '.*']) {
      const client = createClient({ bootstrap: config(pattern) })
      for (const a of ['', 'x', '42']) expect(client.forContext({ a }).isEnabled('f'), `/${pattern}/ on ${JSON.stringify(a)}`).toBe(true)
      for (const a of [42, 0, true, false, { b: 1 }]) {
        const x = client.forContext({ a }).explain('f')
        expect([x.value, x.reason, x.errorCode], `/${pattern}/ on ${JSON.stringify(a)}`).toEqual([false, 'DEFAULT', undefined])
      }
      client.close()
    }
  })

  it('honours caseInsensitive at evaluation', () => {
    const strict = createClient({ bootstrap: config('^ab$') })
    const loose = createClient({ bootstrap: config('^ab$', true) })
    expect([strict.forContext({ a: 'AB' }).isEnabled('f'), loose.forContext({ a: 'AB' }).isEnabled('f'), loose.forContext({ a: 'aB' }).isEnabled('f')]).toEqual([false, true, true])
    strict.close()
    loose.close()
  })
})
