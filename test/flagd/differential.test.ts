// Differential test: random flagd definitions and contexts, evaluated by @openfeature/flagd-core
// (the oracle) and by flagstage through fromFlagd + flagdContext. Same value, variant and reason;
// flagstage reports SPLIT where flagd reports TARGETING_MATCH for `fractional` (documented).
import { FlagdCore } from '@openfeature/flagd-core'
import { afterAll, describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'
import { createClient, validateConfig } from 'flagstage'
import { flagdContext, fromFlagd } from 'flagstage/flagd'
import type { FlagdDefinitions } from 'flagstage/flagd'
import { context, definitions, rng } from './generate.ts'

const CHUNKS = 8
const FILES = 50 // per chunk
const FLAGS_PER_FILE = 5
const CONTEXTS = 12
const counts = { definitions: 0, evaluations: 0, splits: 0, defaults: 0, disabled: 0 }
afterAll(() => console.log(`flagd differential: ${counts.definitions} flag definitions x contexts = ${counts.evaluations} evaluations agree (${counts.splits} fractional, ${counts.defaults} DEFAULT, ${counts.disabled} DISABLED)`))

describe('fromFlagd against @openfeature/flagd-core', SLOW, () => {
  it.each(Array.from({ length: CHUNKS }, (_, i) => i))(`agrees on value, variant and reason for ${FILES * FLAGS_PER_FILE} generated flags x ${CONTEXTS} contexts (chunk %i)`, (chunk) => {
    const r = rng(20261201 + chunk)
    const before = counts.evaluations
    const core = new FlagdCore()
    for (let file = 0; file < FILES; file++) {
      const defs = definitions(r, FLAGS_PER_FILE)
      core.setConfigurations(JSON.stringify(defs))
      const client = createClient({ bootstrap: validateConfig(fromFlagd(defs as unknown as FlagdDefinitions)) })
      const contexts = Array.from({ length: CONTEXTS }, () => context(r))
      for (const key of Object.keys(defs.flags)) {
        counts.definitions++
        for (const ctx of contexts) {
          const oracle = core.resolveStringEvaluation(key, 'fallback', ctx as never)
          const ev = client.forContext(flagdContext(ctx))
          const x = ev.explain(key)
          const ours = { value: ev.value(key, 'fallback'), variant: x.variant, reason: x.reason === 'SPLIT' ? 'TARGETING_MATCH' : x.reason }
          const theirs = { value: oracle.value, variant: oracle.variant, reason: oracle.reason }
          if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
            expect.fail(`${key} ${JSON.stringify(defs.flags[key])}\ncontext ${JSON.stringify(ctx)}\nflagstage ${JSON.stringify(ours)}\nflagd     ${JSON.stringify(theirs)}`)
          }
          counts.evaluations++
          if (x.reason === 'SPLIT') counts.splits++
          if (x.reason === 'DEFAULT') counts.defaults++
          if (x.reason === 'DISABLED') counts.disabled++
        }
      }
    }
    expect(counts.evaluations - before).toBe(FILES * FLAGS_PER_FILE * CONTEXTS)
  }, 300_000) // a generous ceiling for a loaded CI machine (about 2 s per chunk on an idle one)
})
