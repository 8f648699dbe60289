import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bucketOf, createClient, type Config, type Context } from 'flagstage'
import { run } from '../../src/cli/commands/diff.ts'
import { main } from '../../src/cli/main.ts'
import { fakeIo } from './helpers.ts'

const read = (name: string): Config => JSON.parse(readFileSync(new URL(`../../examples/cli/${name}`, import.meta.url), 'utf8')) as Config
const before = read('flags.json')
const after = read('flags.next.json')
const AT = '2026-12-10T00:00:00Z'

/** The independent count: the public evaluator over both configs, unit by unit, no diff code involved. */
const independent = (a: Config, b: Config, key: string, users: Context[], at: number) => {
  const ca = createClient({ bootstrap: a, now: () => at })
  const cb = createClient({ bootstrap: b, now: () => at })
  const gained: Record<string, number> = {}
  const lost: Record<string, number> = {}
  let moved = 0
  for (const u of users) {
    const x = key in a.flags ? ca.forContext(u).variant(key).name : undefined
    const y = key in b.flags ? cb.forContext(u).variant(key).name : undefined
    if (x === y) continue
    moved++
    if (x) lost[x] = (lost[x] ?? 0) + 1
    if (y) gained[y] = (gained[y] ?? 0) + 1
  }
  return { moved, gained, lost }
}

const simulated = (n: number, extra: Context = {}): Context[] => Array.from({ length: n }, (_, i) => ({ ...extra, userId: `user-${i + 1}` }))

describe('flagstage diff', () => {
  it('matches an independent count of who gains and loses each variant, flag by flag', () => {
    const { io, stdout } = fakeIo({ 'a.json': before, 'b.json': after })
    expect(run(['a.json', 'b.json', '--users', '3000', '--context', '{"country":"US"}', '--at', AT, '--json'], io)).toBe(1)
    const out = JSON.parse(stdout())
    expect(out).toMatchObject({ changed: true, units: 3000 })
    expect(out.flags.map((f: { flag: string; status: string }) => [f.flag, f.status])).toEqual([
      ['new-checkout', 'changed'], ['checkout-button', 'changed'], ['dark-mode', 'added'],
    ])
    for (const f of out.flags) {
      const want = independent(before, after, f.flag, simulated(3000, { country: 'US' }), Date.parse(AT))
      expect(f.moved).toBe(want.moved)
      for (const [name, v] of Object.entries(f.variants as Record<string, { gained: number; lost: number }>)) {
        expect([name, v.gained, v.lost]).toEqual([name, want.gained[name] ?? 0, want.lost[name] ?? 0])
      }
    }
  })

  it('shows a 10% → 20% rollout as +10% gaining on and nobody losing it', () => {
    const { io, stdout } = fakeIo({ 'a.json': before, 'b.json': after })
    // before the new ramp starts, so only the 10 → 20% edit moves units
    run(['a.json', 'b.json', '--users', '5000', '--context', '{"country":"US"}', '--at', '2026-12-03', '--json'], io)
    const flag = JSON.parse(stdout()).flags.find((f: { flag: string }) => f.flag === 'new-checkout')
    let between = 0
    for (let i = 1; i <= 5000; i++) {
      const b = bucketOf('new-checkout', `user-${i}`)
      if (b >= 1000 && b < 2000) between++
    }
    expect(flag.variants.on).toMatchObject({ gained: between, lost: 0 })
    expect(flag.variants.off).toMatchObject({ gained: 0, lost: between })
    expect(flag.transitions).toEqual([{ from: 'off', to: 'on', units: between }])
    expect(flag.boundaries).toEqual([
      { what: 'rules[2] ramp start', at: '2026-12-07T09:00:00Z' },
      { what: 'rules[2] ramp end', at: '2026-12-14T09:00:00Z' },
    ])
  })

  it('shows a new salt as a reshuffle: units move both ways', () => {
    const { io, stdout } = fakeIo({ 'a.json': before, 'b.json': after })
    run(['a.json', 'b.json', '--users', '2000', '--json'], io)
    const button = JSON.parse(stdout()).flags.find((f: { flag: string }) => f.flag === 'checkout-button')
    expect(button.variants.control.gained).toBeGreaterThan(400)
    expect(button.variants.control.lost).toBeGreaterThan(400)
  })

  it('prints the review as text: per variant before → after, gained and lost, and new boundaries', () => {
    const { io, stdout } = fakeIo({ 'a.json': before, 'b.json': after })
    expect(run(['a.json', 'b.json', '--users', '1000', '--context', '{"country":"US"}', '--at', '2026-12-03'], io)).toBe(1)
    const text = stdout()
    expect(text).toContain('a.json → b.json over 1,000 simulated users (user-1 … user-1000) with {"country":"US"}, at 2026-12-03T00:00:00Z')
    expect(text).toMatch(/~ new-checkout: \d+ of 1,000 units move/)
    expect(text).toMatch(/ {4}on +\d+ → \d+ \(\+\d+, \+\d+\.\d\d%\) {2}gained by \d+ \(\d+\.\d\d%\), lost by 0 \(0\.00%\)/)
    expect(text).toContain('new boundary rules[2] ramp start 2026-12-07T09:00:00Z (in 4.4 days)')
    expect(text).toContain('+ dark-mode (added)')
    expect(text).toMatch(/3 flags changed, 3 with units that move\n$/)
  })

  it('exits 0 when no flag changes (a new revision alone), 1 for a removed flag', () => {
    const same = fakeIo({ 'a.json': before, 'b.json': { ...before, revision: 'r99' } })
    expect(run(['a.json', 'b.json', '--users', '100'], same.io)).toBe(0)
    expect(same.stdout()).toContain('no flag changes')
    const { 'payments-v2': _gone, ...rest } = before.flags
    const removed = fakeIo({ 'a.json': before, 'b.json': { ...before, flags: { ...rest, 'new-checkout': { enabled: true } } } })
    expect(run(['a.json', 'b.json', '--users', '100', '--json'], removed.io)).toBe(1)
    expect(JSON.parse(removed.stdout()).flags.map((f: { flag: string; status: string }) => [f.flag, f.status])).toContainEqual(['payments-v2', 'removed'])
  })

  it('counts a segment edit for the flags whose units it moves', () => {
    const edited = { ...before, segments: { beta: { attr: 'email', op: 'endsWith', value: '@example.org' } } } as Config
    const users = '{"userId":"a","email":"a@example.com"}\n{"userId":"b","email":"b@example.org"}\n'
    const { io, stdout } = fakeIo({ 'a.json': before, 'b.json': edited, 'u.jsonl': users })
    expect(run(['a.json', 'b.json', '--context-file', 'u.jsonl', '--json'], io)).toBe(1)
    expect(JSON.parse(stdout()).flags).toMatchObject([{ flag: 'new-checkout', moved: 2, transitions: [{ from: 'on', to: 'off', units: 1 }, { from: 'off', to: 'on', units: 1 }] }])
  })

  it('exits 2 for invalid input: a broken or invalid config, bad arguments', async () => {
    const { io, stderr } = fakeIo({ 'a.json': before, 'broken.json': '{"schemaVersion": 1,', 'bad.json': { schemaVersion: 1, flags: { x: { enabled: 1 } } } })
    expect(await main(['diff', 'a.json', 'broken.json'], io)).toBe(2)
    expect(stderr()).toContain('flagstage diff: broken.json: line 1, column 21: expected a key in double quotes, found the end of the text')
    expect(await main(['diff', 'a.json', 'bad.json'], io)).toBe(2)
    expect(stderr()).toContain('bad.json: invalid config: flags.x.enabled')
    expect(await main(['diff', 'a.json', 'missing.json'], io)).toBe(2)
    expect(await main(['diff', 'a.json'], io)).toBe(2)
  })
})
