// Behaviour that surviving mutants of compile.ts, evaluate.ts and evaluator.ts showed untested
// (npm run mutation:core): boolean-valued variants, a serve's hash seed without a prefix, the clock,
// the schedule/ramp timeline behind `change`, re-entrant reads, explain() and snapshot() details.
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, describeFlag, murmur3, type Client, type Config } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

const clients: Client[] = []
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
})
const track = (c: Client): Client => (clients.push(c), c)
const cfg = (flags: Config['flags'], segments?: Config['segments']): Config => ({ schemaVersion: 1, revision: 'r', flags, ...(segments && { segments }) })
const T0 = Date.parse('2030-01-01T00:00:00Z')
const iso = (t: number): string => new Date(t).toISOString()

/** A hand-driven clock and timer: `advance(ms)` moves the clock and fires the timer that is due. */
const manualTime = () => {
  let t = T0
  let armed: { at: number; callback: () => void } | undefined
  return {
    now: () => t,
    timer: (callback: () => void, ms: number) => {
      const timer = { at: t + ms, callback }
      armed = timer
      return () => void (armed === timer && (armed = undefined))
    },
    get dueAt() { return armed?.at },
    fire() {
      const due = armed
      if (!due) throw new Error('no timer armed')
      armed = undefined
      t = due.at
      due.callback()
    },
  }
}

describe('variants whose values are all booleans', () => {
  it('are enabled when they serve true, also when the off variant is the true one', () => {
    const c = track(createClient({
      bootstrap: cfg({ legacy: { enabled: false, variants: { old: false, modern: true }, offVariant: 'modern', rules: [{ serve: 'old' }] } }),
    }))
    expect(c.variant('legacy').name).toBe('modern')
    expect(c.isEnabled('legacy')).toBe(true)
  })

  it('are disabled when they serve a false variant that is not the off one, on the compiled fast path and the full one alike', () => {
    const variants = { yes: true, paused: false, off: false }
    const c = track(createClient({
      context: { plan: 'pro' },
      bootstrap: cfg({
        // First rule serves everyone: isEnabled answers from the compiled flag.
        everyone: { enabled: true, variants, offVariant: 'off', rules: [{ serve: 'paused' }] },
        // A targeting rule: isEnabled takes the full evaluation.
        targeted: { enabled: true, variants, offVariant: 'off', rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'paused' }, { serve: 'yes' }] },
        // Kill-switched, off variant the true one: enabled although it is the off variant.
        killed: { enabled: false, variants, offVariant: 'yes', rules: [{ serve: 'paused' }] },
      }),
    }))
    for (const key of ['everyone', 'targeted']) {
      expect(c.variant(key).name).toBe('paused')
      expect(c.isEnabled(key)).toBe(false)
      expect(c.explain(key)).toMatchObject({ variant: 'paused', value: false })
      expect(c.forContext({ plan: 'pro' }).isEnabled(key)).toBe(false)
      expect(c.snapshot().flags[key]).toEqual({ variant: 'paused', value: false, enabled: false })
    }
    expect(c.forContext({ plan: 'free' }).isEnabled('targeted')).toBe(true) // serves yes
    expect(c.isEnabled('killed')).toBe(true)
    expect(c.explain('killed')).toMatchObject({ variant: 'yes', reason: 'DISABLED' })
    expect(c.snapshot().flags['killed']).toEqual({ variant: 'yes', value: true, enabled: true })
  })

  it('a flag with one non-boolean variant is enabled on any variant but its off one, whatever the value', () => {
    const c = track(createClient({
      bootstrap: cfg({
        ui: { enabled: true, variants: { off: false, beta: 'beta-ui', none: false }, offVariant: 'off', rules: [{ if: { attr: 'plan', op: 'eq', value: 'x' }, serve: 'none' }, { serve: 'beta' }] },
      }),
    }))
    expect(c.forContext({}).isEnabled('ui')).toBe(true) // serves "beta-ui"
    expect(c.forContext({ plan: 'x' }).isEnabled('ui')).toBe(true) // serves false, but is not the off variant
  })

  it('a flag with non-boolean variants is disabled on its off variant, killed or fallen through', () => {
    const variants = { dark: 'dark', light: 'light' }
    const c = track(createClient({
      bootstrap: cfg({
        killed: { enabled: false, variants, offVariant: 'light', rules: [{ serve: 'dark' }] },
        unmatched: { enabled: true, variants, offVariant: 'light', rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'dark' }] },
      }),
    }))
    expect(c.isEnabled('killed')).toBe(false)
    expect(c.isEnabled('unmatched')).toBe(false)
    expect(c.forContext({ plan: 'pro' }).isEnabled('unmatched')).toBe(true)
    expect(c.snapshot().flags['unmatched']).toEqual({ variant: 'light', value: 'light', enabled: false })
  })
})

describe('a serve with its own hash seed and no prefix', () => {
  it('hashes "salt:unit" (rollout) and "salt:variant:unit" (split) with that seed', () => {
    const units = Array.from({ length: 400 }, (_, i) => `user-${i}`)
    const c = track(createClient({
      bootstrap: cfg({
        r: { enabled: true, salt: 's', rules: [{ serve: { rollout: 50, hash: { seed: 7 } } }] },
        sp: { enabled: true, salt: 's', variants: { a: 'A', b: 'B' }, offVariant: 'a', rules: [{ serve: { split: { a: 50, b: 50 }, hash: { seed: 7 } } }] },
      }),
    }))
    for (const userId of units) {
      const e = c.forContext({ userId })
      expect(e.explain('r').bucket).toBe(murmur3(`s:${userId}`, 7) % 10_000)
      expect(e.explain('sp').bucket).toBe(murmur3(`s:variant:${userId}`, 7) % 10_000)
      expect(e.isEnabled('r')).toBe(murmur3(`s:${userId}`, 7) % 10_000 < 5000)
    }
  })
})

describe('the clock', () => {
  it('is read only by flags with a schedule or a ramp', () => {
    let reads = 0
    const c = track(createClient({
      now: () => (reads++, T0),
      context: { userId: 'u1', plan: 'pro' },
      bootstrap: cfg({
        plain: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: { rollout: 50 } }, { serve: 'on' }] },
        killed: { enabled: false, rules: [{ serve: 'on' }] },
        timed: { enabled: true, rules: [{ serve: 'on' }], schedule: { until: iso(T0 + 1000) } },
      }),
    }))
    c.isEnabled('plain')
    c.explain('plain')
    c.isEnabled('killed')
    expect(reads).toBe(0)
    c.isEnabled('timed')
    expect(reads).toBe(1)
  })

  it('turns a flag with only schedule.until off at that instant', () => {
    let t = T0
    const c = track(createClient({ now: () => t, bootstrap: cfg({ sale: { enabled: true, rules: [{ serve: 'on' }], schedule: { until: iso(T0 + 1000) } } }) }))
    expect(c.isEnabled('sale')).toBe(true)
    t = T0 + 999
    expect(c.isEnabled('sale')).toBe(true)
    t = T0 + 1000
    expect(c.explain('sale')).toMatchObject({ value: false, reason: 'DISABLED' })
  })
})

describe('change without a config edit (the timeline)', () => {
  it('fires at schedule.until, and arms the earliest boundary first whatever the flag order', () => {
    const time = manualTime()
    const c = track(createClient({
      ...time,
      bootstrap: cfg({
        late: { enabled: true, rules: [{ serve: 'on' }], schedule: { from: iso(T0 + 5000) } },
        ending: { enabled: true, rules: [{ serve: 'on' }], schedule: { until: iso(T0 + 2000) } },
      }),
    }))
    const keys: string[][] = []
    c.on('change', (e) => keys.push(e.keys))
    expect(time.dueAt).toBe(T0 + 2001) // just past the boundary
    time.fire()
    expect(keys).toEqual([['ending']])
    expect(time.dueAt).toBe(T0 + 5001)
    time.fire()
    expect(keys).toEqual([['ending'], ['late']])
  })

  it('re-checks a ramp in steps while it runs, and units join with change events', () => {
    const time = manualTime()
    const ramp = { from: 0, to: 100, start: iso(T0), end: iso(T0 + 100_000_000) } // 10,000 s per 100%: a step every 10 s
    const c = track(createClient({ ...time, context: { userId: 'u-7' }, bootstrap: cfg({ ramped: { enabled: true, rules: [{ serve: { rollout: ramp } }] } }) }))
    const changes: string[][] = []
    c.on('change', (e) => changes.push(e.keys))
    expect(time.dueAt).toBe(T0 + 10_001) // one step of 0.01%, just past it
    const bucket = c.explain('ramped').bucket
    expect(bucket).toBeGreaterThan(0)
    let steps = 0
    for (; !c.isEnabled('ramped'); steps++) {
      expect(changes).toEqual([])
      const at = time.now()
      time.fire()
      expect(time.now() - at).toBe(10_001)
    }
    // In once the threshold (0.01% per 10 s) passes the unit's bucket, announced by that very step.
    expect(Math.abs(steps - (bucket + 1))).toBeLessThanOrEqual(1)
    expect(changes).toEqual([['ramped']])
  })
})

describe('re-entrant reads', () => {
  it('a read from inside an evaluation (a context getter) does not disturb the prerequisites of the outer one', () => {
    const c = track(createClient({
      bootstrap: cfg({
        pro: { enabled: true, rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'on' }] },
        probe: { enabled: true, rules: [{ if: { attr: 'probe', op: 'eq', value: 'yes' }, serve: 'on' }], requires: [{ flag: 'pro' }] },
        // gate reads `probe` (whose getter reads another flag for another context) before it reaches `pro`.
        gate: { enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'trigger' }, { flag: 'pro' }] },
        trigger: { enabled: true, rules: [{ if: { attr: 'hook', op: 'exists' }, serve: 'on' }] },
      }),
    }))
    const free = c.forContext({ plan: 'free', probe: 'yes' })
    const outer = {
      plan: 'pro',
      get hook() {
        free.isEnabled('probe') // resolves `pro` for a free user in a nested evaluation
        return 1
      },
    }
    expect(c.forContext(outer).isEnabled('gate')).toBe(true)
  })
})

describe('explain() and snapshot() details', () => {
  it('an overridden or unknown flag has no rule index', () => {
    const c = track(createClient({ overrides: { a: 'off' }, bootstrap: cfg({ a: { enabled: true, rules: [{ serve: 'on' }] } }) }))
    expect(c.explain('a')).toMatchObject({ variant: 'off', reason: 'STATIC', ruleIndex: -1 })
    expect(c.explain('nope')).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', ruleIndex: -1 })
  })

  it('an unknown flag read with a fallback is FLAG_NOT_FOUND, not a type mismatch', () => {
    const c = track(createClient({ bootstrap: cfg({}) }))
    expect(c.explain('nope', 'x')).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
  })

  it('has no errorCode key when there is no error', () => {
    const c = track(createClient({ bootstrap: cfg({ a: { enabled: true, rules: [{ serve: 'on' }] } }) }))
    expect(Object.keys(c.explain('a'))).not.toContain('errorCode')
  })

  it('a snapshot-fed client explains its flags as STATIC', () => {
    const c = track(createClient({ bootstrap: { evaluated: true, revision: 's', flags: { a: { variant: 'on', value: true, enabled: true } } } }))
    expect(c.explain('a')).toMatchObject({ variant: 'on', reason: 'STATIC', revision: 's' })
  })

  it('offVariant null: no variant, the default or nothing, and isEnabled only for a true default', () => {
    const flags = { quiet: { enabled: false, offVariant: null, rules: [{ serve: 'on' }] } } as Config['flags']
    const bare = track(createClient({ bootstrap: cfg(flags) }))
    expect(bare.isEnabled('quiet')).toBe(false)
    expect(bare.explain('quiet')).toMatchObject({ variant: undefined, value: undefined, reason: 'DISABLED' })
    expect(Object.keys(bare.snapshot().flags)).toEqual([])
    const withDefault = track(createClient({ bootstrap: cfg(flags), defaults: { quiet: true } }))
    expect(withDefault.isEnabled('quiet')).toBe(true)
  })

  it('a flag named __proto__ is an ordinary, writable key of the snapshot', () => {
    const c = track(createClient({ bootstrap: cfg({ ['__proto__']: { enabled: true, rules: [{ serve: 'on' }] }, plain: { enabled: true, rules: [{ serve: 'on' }] } } as Config['flags']) }))
    const flags = c.snapshot().flags
    expect(Object.getPrototypeOf(flags)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(flags, '__proto__')).toMatchObject({ enumerable: true, writable: true, configurable: true })
    expect(Object.getOwnPropertyDescriptor(flags, '__proto__')?.value).toEqual(flags.plain)
  })

  it('an unpinned evaluator snapshots the config in force, a pinned one the config it was made with', () => {
    const m = manualSource()
    const c = track(createClient({ source: m.source }))
    m.push(cfg({ a: { enabled: true, rules: [{ serve: 'on' }] } }))
    const pinned = c.forContext({})
    const unpinned = c.forContext({}, { pin: false })
    m.push({ schemaVersion: 1, revision: 'r2', flags: { a: { enabled: false, rules: [{ serve: 'on' }] } } })
    expect(pinned.snapshot()).toMatchObject({ revision: 'r', flags: { a: { variant: 'on' } } })
    expect(unpinned.snapshot()).toMatchObject({ revision: 'r2', flags: { a: { variant: 'off' } } })
  })
})

describe('type mismatches', () => {
  const warnings = (run: (c: Client) => void): string[] => {
    const seen: string[] = []
    const logger = { warn: (m: unknown) => seen.push(String(m)), error: () => {}, info: () => {}, debug: () => {} }
    run(track(createClient({ logger, bootstrap: cfg({
      list: { enabled: true, variants: { on: [1, 2], off: [] }, rules: [{ serve: 'on' }] },
      long: { enabled: true, variants: { on: 'x'.repeat(100), off: '' }, rules: [{ serve: 'on' }] },
    }) })))
    return seen
  }

  it('an array is not an object: the fallback, TYPE_MISMATCH, and a warning naming both kinds', () => {
    let out: unknown
    const seen = warnings((c) => (out = c.explain('list', { a: 1 })))
    expect(out).toMatchObject({ value: { a: 1 }, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' })
    expect(seen.join('\n')).toContain('"list" serves array [1,2], not object')
  })

  it('warns once per flag, with the value cut to 40 characters', () => {
    const seen = warnings((c) => {
      c.value('list', 'text')
      c.value('list', 'text')
      c.value('long', 1)
    })
    expect(seen).toHaveLength(2)
    expect(seen[1]).toContain(`serves string "${'x'.repeat(39)}, not number`)
  })

  it('is silent in production', () => {
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      expect(warnings((c) => c.value('list', 'text'))).toEqual([])
    } finally {
      process.env.NODE_ENV = before
    }
  })
})

describe('describeFlag prerequisites', () => {
  it('names what each prerequisite requires: a variant, a list of variants, enabled or disabled', () => {
    const config = cfg({
      base: { enabled: true, variants: { a: 1, b: 2, c: 3 }, offVariant: 'a', rules: [{ serve: 'b' }] },
      on: { enabled: true, rules: [{ serve: 'on' }] },
      f: { enabled: true, rules: [{ serve: 'on' }], requires: [{ flag: 'base', variant: ['b', 'c'] }, { flag: 'on', enabled: true }, { flag: 'on', enabled: false }, { flag: 'on' }] },
    })
    expect(describeFlag(config, 'f').requires.map((r) => r.variant)).toEqual(['b | c', '(enabled)', '(disabled)', 'on'])
  })
})
