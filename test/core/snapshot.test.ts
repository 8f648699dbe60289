// An evaluated snapshot (SSR) as a client's bootstrap or source document: what it serves before a config.
import { describe, expect, it } from 'vitest'
import { createClient, type FlagstageError, type Snapshot } from 'flagstage'
import { manualSource } from '../helpers/manual-source.ts'

describe('an evaluated snapshot', () => {
  it('serves enabled when given, and reads a missing one as "the value is true"', () => {
    const c = createClient({
      bootstrap: {
        evaluated: true,
        revision: 'ssr-1',
        flags: {
          plain: { variant: 'on', value: true },
          text: { variant: 'b', value: 'green' },
          off: { variant: 'on', value: true, enabled: false },
          on: { variant: 'x', value: 'x', enabled: true },
        },
        // Snapshot's type has enabled on every entry (snapshot() always writes it); a document from elsewhere may not.
      } as unknown as Snapshot,
    })
    expect(['plain', 'text', 'off', 'on'].map((k) => c.isEnabled(k))).toEqual([true, false, false, true])
    expect(c.variant('text')).toEqual({ name: 'b', value: 'green' })
    expect(c.status().revision).toBe('ssr-1')
    expect(c.snapshot().flags.plain).toEqual({ variant: 'on', value: true, enabled: true })
  })

  it('is a snapshot only when evaluated is true: anything else is checked as a config', () => {
    const m = manualSource()
    const c = createClient({ source: m.source })
    const errors: FlagstageError[] = []
    c.on('error', (e) => errors.push(e))
    m.push({ evaluated: 'yes', flags: { a: { variant: 'on', value: true } } })
    m.push(null)
    m.push(undefined)
    // Checked as configs: the validator's typed errors, with their paths.
    expect(errors.map((e) => [e.code, e.path])).toEqual([['INVALID_CONFIG', 'evaluated'], ['INVALID_CONFIG', ''], ['INVALID_CONFIG', '']])
    expect(errors[0]!.message).toContain('unexpected key')
    expect(errors[1]!.message).toContain('got null')
    expect(errors[2]!.message).toContain('expected an object')
    expect(c.status().state).toBe('error')
    c.close()
  })
})
