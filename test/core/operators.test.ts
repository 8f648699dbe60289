import { describe, expect, it } from 'vitest'
import {
  configProblems, createClient, ErrorCode, inCidrOperator, isFlagstageError, matchesOperator, registerOperators, validateConfig,
  type Condition, type Config, type FlagstageError,
} from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

// This file starts with no opt-in operator registered (vitest runs each test file in its own module
// graph), registers them half-way, and checks both sides.

const when = (condition: Condition, revision = 'r'): Config => ({
  schemaVersion: 1, revision, flags: { f: { enabled: true, rules: [{ if: condition, serve: 'on' }] } },
})
const MATCHES: Condition = { attr: 'email', op: 'matches', value: '@example\\.com$' }
const CIDR: Condition = { attr: 'ip', op: 'inCidr', values: ['10.0.0.0/8'] }
const thrown = (doc: unknown): FlagstageError => {
  try {
    validateConfig(doc)
  } catch (error) {
    return error as FlagstageError
  }
  throw new Error('validateConfig accepted it')
}

describe('opt-in operators (matches, inCidr)', () => {
  describe('before registerOperators', () => {
    it('rejects a config that uses matches, naming the import to add, with the path of its op', () => {
      const error = thrown(when(MATCHES))
      expect(isFlagstageError(error)).toBe(true)
      expect(error.code).toBe(ErrorCode.OPERATOR_NOT_REGISTERED)
      expect(error.path).toBe('flags.f.rules[0].if.op')
      expect(error.message).toContain("import { registerOperators, matchesOperator } from 'flagstage'")
      expect(error.message).toContain('registerOperators(matchesOperator)')
    })

    it('rejects inCidr in a segment and nested conditions the same way, at each place in all-problems mode', () => {
      const doc = {
        schemaVersion: 1,
        segments: { office: { any: [{ attr: 'plan', op: 'eq', value: 'pro' }, CIDR] } },
        flags: { f: { enabled: true, rules: [{ if: { not: MATCHES }, serve: 'on' }, { if: { segment: 'office' }, serve: 'off' }] } },
      }
      expect(thrown(doc)).toMatchObject({ code: 'OPERATOR_NOT_REGISTERED', path: 'segments.office.any[1].op' })
      const problems = configProblems(doc)
      expect(problems.map((p) => [p.code, p.path])).toEqual([
        ['OPERATOR_NOT_REGISTERED', 'segments.office.any[1].op'],
        ['OPERATOR_NOT_REGISTERED', 'flags.f.rules[0].if.not.op'],
      ])
      expect(problems[0]!.message).toContain('registerOperators(inCidrOperator)')
    })

    it('still suggests matches for a misspelt operator (it is a known name)', () => {
      const error = thrown(when({ attr: 'email', op: 'matchs' as 'matches', value: 'x' }))
      expect(error.code).toBe('INVALID_CONFIG')
      expect(error.details?.expected).toContain('matches')
      expect(error.details?.expected).toContain('inCidr')
    })

    it('keeps the last good config when a source sends one that needs an unregistered operator', () => {
      const m = manualSource()
      const c = createClient({ source: m.source, context: { email: 'jo@example.com' } })
      const errors: FlagstageError[] = []
      c.on('error', (e) => errors.push(e))
      m.push({ schemaVersion: 1, revision: 'r1', flags: { f: { enabled: false } } })
      m.push(when(MATCHES, 'r2'))
      expect(c.isEnabled('f')).toBe(false)
      expect(c.status()).toMatchObject({ state: 'stale', revision: 'r1' })
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatchObject({ code: 'OPERATOR_NOT_REGISTERED', path: 'flags.f.rules[0].if.op' })
      c.close()
    })
  })

  describe('after registerOperators', () => {
    it('loads and evaluates both (registering twice is harmless)', () => {
      registerOperators(matchesOperator, inCidrOperator)
      registerOperators(matchesOperator)
      expect(configProblems(when(MATCHES))).toEqual([])
      const c = createClient({ bootstrap: when({ all: [MATCHES, CIDR] }) })
      expect(c.forContext({ email: 'jo@example.com', ip: '10.1.2.3' }).isEnabled('f')).toBe(true)
      expect(c.forContext({ email: 'jo@example.com', ip: '11.1.2.3' }).isEnabled('f')).toBe(false)
      expect(c.forContext({ email: 'jo@example.org', ip: '10.1.2.3' }).isEnabled('f')).toBe(false)
      c.close()
    })

    it('checks their operands as before: a pattern outside the linear-time subset, a bad block', () => {
      expect(thrown(when({ attr: 'email', op: 'matches', value: '(a)\\1' }))).toMatchObject({ code: 'INVALID_CONFIG', path: 'flags.f.rules[0].if.value' })
      expect(thrown(when({ attr: 'ip', op: 'inCidr', values: ['10.0.0.0/8', '300.0.0.0/8'] }))).toMatchObject({
        code: 'INVALID_CONFIG', path: 'flags.f.rules[0].if.values[1]',
      })
    })
  })
})
