import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bucketOf, type Config } from 'flagstage'
import { run } from '../../src/cli/commands/rollout.ts'
import { main } from '../../src/cli/main.ts'
import { fakeIo } from './helpers.ts'

const next = readFileSync(new URL('../../examples/cli/flags.next.json', import.meta.url), 'utf8')
const config = JSON.parse(next) as Config

describe('flagstage rollout', () => {
  it('counts units per variant: the same count as the hash gives, with a bar chart', () => {
    const { io, stdout } = fakeIo({ 'f.json': next })
    expect(run(['f.json', 'dark-mode', '--users', '2000'], io)).toBe(0)
    let on = 0
    for (let i = 1; i <= 2000; i++) if (bucketOf('dark-mode', `user-${i}`) < 500) on++
    const text = stdout()
    expect(text).toContain('dark-mode over 2,000 simulated users (user-1 … user-2000), at 2026-12-03T00:00:00Z')
    expect(text).toMatch(new RegExp(`  on  +[█▏▎▍▌▋▊▉ ]+ +${on}  +${(on / 20).toFixed(2)}%\\n`))
    expect(text).toMatch(new RegExp(`  off +[█▏▎▍▌▋▊▉ ]+ +${(2000 - on).toLocaleString('en-US')}  +${((2000 - on) / 20).toFixed(2)}%\\n`))
  })

  it('shows the share at each day of a ramp', () => {
    const { io, stdout } = fakeIo({ 'f.json': next })
    expect(run(['f.json', 'new-checkout', '--users', '1000', '--context', '{"country":"FR"}', '--json'], io)).toBe(0)
    const out = JSON.parse(stdout())
    expect(out.ramp.map((r: { at: string }) => r.at)).toEqual([7, 8, 9, 10, 11, 12, 13, 14].map((d) => `2026-12-${String(d).padStart(2, '0')}T09:00:00Z`))
    const shares = out.ramp.map((r: { variants: { on: number } }) => r.variants.on)
    expect(shares[0]).toBe(0)
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]) // monotone: users only join
    let atEnd = 0
    for (let i = 1; i <= 1000; i++) if (bucketOf('new-checkout', `user-${i}`) < 5000) atEnd++
    expect(shares.at(-1)).toBe(atEnd)
  })

  it('reads real contexts from a JSONL file', async () => {
    const users = ['{"userId":"a","country":"US"}', '{"userId":"b","country":"FR"}', '', '{"email":"x@example.com"}'].join('\n')
    const { io, stdout } = fakeIo({ 'f.json': config, 'users.jsonl': users })
    expect(run(['f.json', 'new-checkout', '--context-file', 'users.jsonl', '--json'], io)).toBe(0)
    expect(JSON.parse(stdout())).toMatchObject({ units: 3 })
    expect(JSON.parse(stdout()).variants.on).toBeGreaterThanOrEqual(1) // the beta user
    const broken = fakeIo({ 'f.json': config, 'users.jsonl': '{"userId":"a"}\n{"userId":}\n' })
    expect(await main(['rollout', 'f.json', 'new-checkout', '--context-file', 'users.jsonl'], broken.io)).toBe(1)
    expect(broken.stderr()).toContain('users.jsonl:2:11: expected a value, found "}"')
  })

  it('exits 2 on bad arguments', async () => {
    const { io, stderr } = fakeIo({ 'f.json': config })
    expect(await main(['rollout', 'f.json', 'dark-mode', '--users', '0'], io)).toBe(2)
    expect(stderr()).toContain('--users needs a positive whole number, got "0"')
    expect(await main(['rollout', 'f.json', 'dark-mode', '--users', '5', '--context-file', 'u.jsonl'], io)).toBe(2)
  })
})
