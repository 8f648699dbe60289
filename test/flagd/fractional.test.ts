// flagd's `fractional` vectors: the expected variants of flagd-testbed's gherkin/targeting.feature
// (@fractional-v1, @fractional-v2 and the hash edge cases), for the flags of its flags/custom-ops.json,
// written down here as data. v1 is flagd's reference formula (|hash as int32| / (2^31 - 1) * 100).
import { describe, expect, it } from 'vitest'
import { createClient, murmur3, validateConfig } from 'flagstage'
import { flagdContext, fromFlagd } from 'flagstage/flagd'
import type { FlagdDefinitions } from 'flagstage/flagd'

const suits = { clubs: 'clubs', diamonds: 'diamonds', hearts: 'hearts', spades: 'spades', wild: 'wild' }
const quarters = [['clubs', 25], ['diamonds', 25], ['hearts', 25], ['spades', 25]]
const definitions = {
  flags: {
    'fractional-flag': {
      state: 'ENABLED', variants: suits, defaultVariant: 'wild',
      targeting: { fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'user.name' }] }, ...quarters] },
    },
    'fractional-flag-shorthand': {
      state: 'ENABLED', variants: { heads: 'heads', tails: 'tails', draw: 'draw' }, defaultVariant: 'draw',
      targeting: { fractional: [['heads'], ['tails', 1]] },
    },
    'fractional-flag-A-shared-seed': {
      state: 'ENABLED', variants: suits, defaultVariant: 'wild',
      targeting: { fractional: [{ cat: ['shared-seed', { var: 'user.name' }] }, ...quarters] },
    },
    'fractional-flag-B-shared-seed': {
      state: 'ENABLED', variants: { clubs: 'ace-of-clubs', diamonds: 'ace-of-diamonds', hearts: 'ace-of-hearts', spades: 'ace-of-spades', wild: 'wild' },
      defaultVariant: 'wild', targeting: { fractional: [{ cat: ['shared-seed', { var: 'user.name' }] }, ...quarters] },
    },
    'fractional-hash-edge-flag': {
      state: 'ENABLED', variants: { lower: 'lower', upper: 'upper' }, defaultVariant: 'lower',
      targeting: { fractional: [{ var: 'targetingKey' }, ['lower', 50], ['upper', 50]] },
    },
  },
} as unknown as FlagdDefinitions

const evaluate = (version: 'v1' | 'v2', key: string, context: Record<string, unknown>): unknown =>
  createClient({ bootstrap: validateConfig(fromFlagd(definitions, { fractional: version })) }).forContext(flagdContext(context)).value(key, 'fallback')

const user = (name: string) => ({ user: { name } })

describe('flagd fractional vectors', () => {
  it.each([
    ['v1', 'jack', 'spades'], ['v1', 'queen', 'clubs'], ['v1', 'ten', 'diamonds'], ['v1', 'nine', 'hearts'], ['v1', '3', 'diamonds'],
    ['v2', 'jack', 'hearts'], ['v2', 'queen', 'spades'], ['v2', 'ten', 'clubs'], ['v2', 'nine', 'diamonds'], ['v2', '3', 'clubs'],
  ] as const)('%s: fractional-flag, user.name %s → %s', (version, name, value) => {
    expect(evaluate(version, 'fractional-flag', user(name))).toBe(value)
  })

  it.each([['v1'], ['v2']] as const)('%s: the shorthand buckets by flag key + targetingKey', (version) => {
    expect(evaluate(version, 'fractional-flag-shorthand', { targetingKey: 'jon@company.com' })).toBe('heads')
    expect(evaluate(version, 'fractional-flag-shorthand', { targetingKey: 'jane@company.com' })).toBe('tails')
  })

  it.each([
    ['v1', 'jack', 'hearts', 'ace-of-hearts'], ['v1', 'queen', 'spades', 'ace-of-spades'], ['v1', 'ten', 'hearts', 'ace-of-hearts'],
    ['v1', 'nine', 'diamonds', 'ace-of-diamonds'], ['v2', 'seven', 'hearts', 'ace-of-hearts'], ['v2', 'eight', 'diamonds', 'ace-of-diamonds'],
    ['v2', 'nine', 'clubs', 'ace-of-clubs'], ['v2', 'two', 'spades', 'ace-of-spades'],
  ] as const)('%s: a shared seed puts %s in the same bucket of both flags (%s, %s)', (version, name, a, b) => {
    expect(evaluate(version, 'fractional-flag-A-shared-seed', user(name))).toBe(a)
    expect(evaluate(version, 'fractional-flag-B-shared-seed', user(name))).toBe(b)
  })

  it.each([
    ['ejOoVL', 0, 'lower'], ['bY9fO-', 1, 'lower'], ['SI7p-', 2147483647, 'lower'], ['6LvT0', 2147483648, 'upper'], ['ceQdGm', 4294967295, 'upper'],
  ] as const)('v2 hash edge: %s (murmur3 %i) → %s', (key, hash, value) => {
    expect(murmur3(key)).toBe(hash)
    expect(evaluate('v2', 'fractional-hash-edge-flag', { targetingKey: key })).toBe(value)
  })

  it('hashes non-ASCII bucketing keys as UTF-8 bytes, like flagd (Go) and unlike flagd-core (JS, UTF-16 code units)', () => {
    // floor(murmur3(utf8(key)) * 100 / 2^32) picks the quarter: the same bucket flagd's Go evaluator computes.
    for (const name of ['Zoë', '日本語', 'ünïcødé', '👩‍💻']) {
      const h = murmur3(`fractional-flag${name}`)
      const quarter = Math.floor(Number((BigInt(h) * 100n) >> 32n) / 25)
      expect(evaluate('v2', 'fractional-flag', user(name))).toBe(['clubs', 'diamonds', 'hearts', 'spades'][quarter])
    }
  })
})
