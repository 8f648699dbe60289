import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, isFlagstageError, validateConfig } from 'flagstage'
import { flagd, flagdContext, fromFlagd } from 'flagstage/flagd'
import type { FlagdDefinitions } from 'flagstage/flagd'
import { file } from 'flagstage/node'
import { closeServers, startServer } from '../helpers/server.ts'

afterEach(closeServers)

const defs = (targeting: unknown, extra: Record<string, unknown> = {}): FlagdDefinitions =>
  ({ flags: { f: { state: 'ENABLED', variants: { a: 'a', b: 'b' }, defaultVariant: 'a', targeting, ...extra } } }) as FlagdDefinitions

const problem = (d: FlagdDefinitions): { code: string; path: string | undefined; message: string } => {
  try {
    fromFlagd(d)
  } catch (error) {
    if (!isFlagstageError(error)) throw error
    return { code: error.code, path: error.path, message: error.message }
  }
  throw new Error('translated')
}

describe('fromFlagd', () => {
  it.each([
    [{ if: [{ '+': [1, 2] }, 'a', 'b'] }, 'flags.f.targeting.if[0]["+"]', /"\+" is not supported/],
    [{ if: [{ '==': [{ var: ['x', 'dflt'] }, 1] }, 'a'] }, 'flags.f.targeting.if[0]["=="][0]', /only \{ "var": "name" \}/],
    [{ if: [{ '>': [{ var: '$flagd.timestamp' }, 1] }, 'a'] }, 'flags.f.targeting.if[0][">"][0]', /\$flagd.timestamp/],
    [{ var: 'color' }, 'flags.f.targeting', /got the operator "var"/],
    [{ if: [true, 'c'] }, 'flags.f.targeting.if[1]', /"c", which is not a variant/],
    [{ if: [{ $ref: 'missing' }, 'a'] }, 'flags.f.targeting.if[0]', /unknown evaluator "missing"/],
    [{ fractional: [{ var: 'k' }, [{ var: 'x' }, 50]] }, 'flags.f.targeting.fractional[0][0]', /computed or null variants/],
  ])('refuses %j with UNSUPPORTED at its JSON path', (targeting, path, message) => {
    const p = problem(defs(targeting))
    expect(p.code).toBe('UNSUPPORTED')
    expect(p.path).toBe(path)
    expect(p.message).toMatch(message)
  })

  it('bounds the depth of JsonLogic it reads', () => {
    let deep: unknown = { '==': [{ var: 'x' }, 1] }
    for (let i = 0; i < 40; i++) deep = { '!': deep }
    expect(problem(defs({ if: [deep, 'b'] })).message).toMatch(/deeper than 32/)
    // A $ref cycle is refused, not followed forever.
    const cyclic = { ...defs({ if: [{ $ref: 'a' }, 'b'] }), $evaluators: { a: { $ref: 'b' }, b: { $ref: 'a' } } } as FlagdDefinitions
    expect(problem(cyclic).code).toBe('UNSUPPORTED')
  })

  it('reads defaultVariant null as the caller default, and a disabled flag as DISABLED with the caller default', () => {
    const d = { flags: {
      none: { state: 'ENABLED', variants: { a: 1 }, defaultVariant: null },
      off: { state: 'DISABLED', variants: { a: 1 }, defaultVariant: 'a' },
      fixed: { state: 'ENABLED', variants: { a: 1, b: 2 }, defaultVariant: 'b' },
    } } as unknown as FlagdDefinitions
    const flags = createClient({ bootstrap: validateConfig(fromFlagd(d)) })
    expect(flags.explain('none')).toMatchObject({ variant: undefined, reason: 'DEFAULT' })
    expect(flags.value('none', 7)).toBe(7)
    expect(flags.explain('off')).toMatchObject({ variant: undefined, reason: 'DISABLED' })
    expect(flags.explain('fixed')).toMatchObject({ variant: 'b', value: 2, reason: 'STATIC' })
  })

  it('keeps flag and set metadata in meta.flagd, and never executes JsonLogic', () => {
    const config = fromFlagd({ ...defs({ if: [{ in: ['@x.com', { var: 'email' }] }, 'b'] }, { metadata: { team: 'web' } }), metadata: { set: 1 } } as FlagdDefinitions)
    expect(config.meta).toEqual({ flagd: { flags: { f: { team: 'web' } }, metadata: { set: 1 } } })
    const source = readFileSync(new URL('../../src/flagd/conditions.ts', import.meta.url), 'utf8') + readFileSync(new URL('../../src/flagd/targeting.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/new Function|eval\(/)
  })

  it('reads nested context fields through flagdContext', () => {
    const flags = createClient({ bootstrap: validateConfig(fromFlagd(defs({ if: [{ '==': [{ var: 'user.tier' }, 'pro'] }, 'b', 'a'] }))) })
    expect(flags.forContext(flagdContext({ user: { tier: 'pro' } })).value('f', '')).toBe('b')
    expect(flags.forContext(flagdContext({ user: { tier: 'free' } })).value('f', '')).toBe('a')
  })
})

describe('flagd()', () => {
  const body = (variant: string): string => JSON.stringify(defs({ if: [{ '==': [{ var: 'plan' }, 'pro'] }, variant, 'a'] }))

  it('polls a URL and translates each document', async () => {
    const server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body('b')))
    const flags = createClient({ source: flagd(`${server.origin}/flags.flagd.json`, { pollMs: 0 }), context: { plan: 'pro' } })
    await flags.ready()
    expect(flags.value('f', '')).toBe('b')
    flags.close()
  })

  it('wraps file() from flagstage/node for a path, and reports untranslatable edits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstage-flagd-'))
    const path = join(dir, 'flags.flagd.json')
    writeFileSync(path, body('b'))
    const flags = createClient({ source: flagd(file(path, { watch: true, debounceMs: 10 })), context: { plan: 'pro' } })
    await flags.ready()
    expect(flags.value('f', '')).toBe('b')
    const failed = new Promise<{ code: string }>((resolve) => flags.on('error', resolve))
    writeFileSync(path, JSON.stringify(defs({ if: [{ '+': [1] }, 'b'] })))
    expect((await failed).code).toBe('UNSUPPORTED')
    expect(flags.value('f', '')).toBe('b') // the last good config stays
    flags.close()
  })
})
