// The 'config' event's keys (src/core/config-diff.ts): flags whose definition changed, through segments
// nested in all/any/not and chains of segments or prerequisites in any order, and snapshot entries.
import { describe, expect, it } from 'vitest'
import { createClient, type Config, type ConfigEvent } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const on = { enabled: true, rules: [{ serve: 'on' }] }
const email = (suffix: string) => ({ attr: 'email', op: 'endsWith' as const, value: suffix })

/** The keys of the 'config' event for `next` after `first`. */
const keysAfter = (first: unknown, next: unknown): string[][] => {
  const m = manualSource()
  const c = createClient({ source: m.source })
  m.push(first)
  const keys: string[][] = []
  c.on('config', (e: ConfigEvent) => keys.push(e.keys))
  m.push(next)
  c.close()
  return keys
}

describe("the 'config' event", () => {
  it('lists a flag whose rule reads an edited segment inside all, any or not', () => {
    const doc = (edited: 's1' | 's2' | 's3' | undefined): Config => ({
      schemaVersion: 1,
      segments: { s1: email(edited === 's1' ? '@b' : '@a'), s2: email(edited === 's2' ? '@b' : '@a'), s3: email(edited === 's3' ? '@b' : '@a') },
      flags: {
        inAll: { enabled: true, rules: [{ if: { all: [{ attr: 'plan', op: 'eq', value: 'pro' }, { segment: 's1' }] }, serve: 'on' }] },
        inAny: { enabled: true, rules: [{ if: { any: [{ attr: 'plan', op: 'eq', value: 'pro' }, { segment: 's2' }] }, serve: 'on' }] },
        inNot: { enabled: true, rules: [{ if: { not: { segment: 's3' } }, serve: 'on' }] },
        plain: on,
      },
    })
    expect(keysAfter(doc(undefined), doc('s1'))).toEqual([['inAll']])
    expect(keysAfter(doc(undefined), doc('s2'))).toEqual([['inAny']])
    expect(keysAfter(doc(undefined), doc('s3'))).toEqual([['inNot']])
  })

  it('follows a chain of segments, and of prerequisites, whatever their order', () => {
    const doc = (suffix: string, base: boolean): Config => ({
      schemaVersion: 1,
      // a reads b reads c: listed before what they read, so the change spreads over several passes.
      segments: { a: { segment: 'b' }, b: { segment: 'c' }, c: email(suffix) },
      flags: {
        top: { enabled: true, requires: [{ flag: 'middle' }], rules: [{ serve: 'on' }] },
        middle: { enabled: true, requires: [{ flag: 'base' }], rules: [{ serve: 'on' }] },
        base: { enabled: base, rules: [{ serve: 'on' }] },
        staff: { enabled: true, rules: [{ if: { segment: 'a' }, serve: 'on' }] },
        plain: on,
      },
    })
    expect(keysAfter(doc('@a', true), doc('@b', true))).toEqual([['staff']])
    expect(keysAfter(doc('@a', true), doc('@a', false))).toEqual([['top', 'middle', 'base']])
  })

  it('lists snapshot entries whose variant or enabled alone changed', () => {
    const snap = (variant: string, enabled: boolean) => ({ evaluated: true, flags: { s: { variant, value: 1, enabled }, same: { variant: 'on', value: true } } })
    expect(keysAfter(snap('p', true), snap('q', true))).toEqual([['s']])
    expect(keysAfter(snap('p', true), snap('p', false))).toEqual([['s']])
    expect(keysAfter(snap('p', true), snap('p', true))).toEqual([[]])
  })
})
