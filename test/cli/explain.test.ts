import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bucketOf, describeFlag } from 'flagstage'
import { run } from '../../src/cli/commands/explain.ts'
import { main } from '../../src/cli/main.ts'
import { fakeIo } from './helpers.ts'

const flags = readFileSync(new URL('../../examples/cli/flags.json', import.meta.url), 'utf8')
const next = readFileSync(new URL('../../examples/cli/flags.next.json', import.meta.url), 'utf8')
const scheduled = {
  schemaVersion: 1,
  flags: { launch: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: '2026-12-10T09:00:00Z' } } },
}

describe('flagstage explain', () => {
  it('says which condition of each earlier rule failed, with the attribute value', () => {
    const { io, stdout } = fakeIo({ 'flags.json': flags })
    expect(run(['flags.json', 'new-checkout', '--context', '{"userId":"u-7","country":"FR","email":"a@b.com"}'], io)).toBe(0)
    const text = stdout()
    expect(text).toContain('new-checkout → off (false)  reason DEFAULT')
    expect(text).toContain('✗ email endsWith "@example.com"  (email = "a@b.com")')
    expect(text).toContain('✗ country in ["US","CA"]  (country = "FR")')
    expect(text).toContain('requires payments-v2 = on: ✓ serves on')
  })

  it('shows the bucket against the threshold of a rollout', () => {
    const { io, stdout } = fakeIo({ 'flags.json': flags })
    expect(run(['flags.json', 'new-checkout', '--context', '{"userId":"u-7","country":"US"}'], io)).toBe(0)
    const b = bucketOf('new-checkout', 'u-7')
    expect(stdout()).toContain(b < 1000 ? `(unit u-7: bucket ${b} < 1000)` : `outside: unit u-7: bucket ${b} ≥ 1000, falls through`)
  })

  it('shows the rollout bucket and then the split of a rollout with then', () => {
    const exp = { schemaVersion: 1, flags: { exp: { enabled: true, variants: { a: 1, b: 2, off: 0 }, offVariant: 'off', rules: [{ serve: { rollout: 100, then: { split: { a: 25, b: 75 }, by: 'sessionId' } } }] } } }
    const { io, stdout } = fakeIo({ 'exp.json': exp })
    expect(run(['exp.json', 'exp', '--context', '{"userId":"u-1","sessionId":"s-1"}'], io)).toBe(0)
    const d = describeFlag(exp as never, 'exp', { userId: 'u-1', sessionId: 's-1' })
    const then = d.rules[0]!.then!
    expect(stdout()).toContain('rollout 100%, then split a 25% / b 75% by sessionId')
    expect(stdout()).toContain(`→ ${d.variant} (unit u-1: bucket ${d.rules[0]!.bucket} < 10000; split unit s-1: variant bucket ${then.bucket} in `)
  })

  it('prints describeFlag with --json, at the --at instant, with the context from a file', () => {
    const { io, stdout } = fakeIo({ 'next.json': next, 'ctx.json': { userId: 'u-3' } })
    expect(run(['next.json', 'new-checkout', '--context-file', 'ctx.json', '--at', '2026-12-10T09:00:00Z', '--json'], io)).toBe(0)
    const expected = describeFlag(JSON.parse(next), 'new-checkout', { userId: 'u-3' }, { now: Date.parse('2026-12-10T09:00:00Z') })
    expect(JSON.parse(stdout())).toEqual(JSON.parse(JSON.stringify(expected)))
    expect(expected.rules[2]!.threshold).toBe(2143) // 3 of 7 days into a 0 → 50% ramp
  })

  it('reports the schedule state at --at', () => {
    const before = fakeIo({ 's.json': scheduled })
    expect(run(['s.json', 'launch', '--at', '2026-12-01'], before.io)).toBe(0)
    expect(before.stdout()).toContain('decided by the schedule: the flag is off until 2026-12-10T09:00:00Z')
    expect(before.stdout()).toContain('schedule 2026-12-10T09:00:00Z → …: not started')
    const after = fakeIo({ 's.json': scheduled })
    run(['s.json', 'launch', '--at', '2026-12-11'], after.io)
    expect(after.stdout()).toContain('launch → on (true)  reason STATIC, rule 0')
  })

  it('exits 1 for an unknown flag (with "did you mean") or an invalid config or context, 2 for bad arguments', async () => {
    const { io, stderr } = fakeIo({ 'flags.json': flags, 'bad.json': '{"schemaVersion":1,"flags":{"a":{"enabled":"yes"}}}' })
    expect(await main(['explain', 'flags.json', 'new-chekout'], io)).toBe(1)
    expect(stderr()).toContain('flags.json: no flag "new-chekout" (did you mean "new-checkout"?)')
    expect(await main(['explain', 'bad.json', 'a'], io)).toBe(1)
    expect(stderr()).toContain('bad.json: invalid config: flags.a.enabled: expected true or false, got "yes"')
    expect(await main(['explain', 'flags.json', 'new-checkout', '--context', '{"userId": u1}'], io)).toBe(1)
    expect(stderr()).toContain('--context: line 1, column 12: expected a value, found "u"')
    expect(await main(['explain', 'flags.json'], io)).toBe(2)
    expect(await main(['explain', 'flags.json', 'x', '--at', 'soon'], io)).toBe(2)
    expect(stderr()).toContain('--at needs an ISO 8601 instant or epoch milliseconds, got "soon"')
  })
})
