// Unleash's cross-language client specification (@unleash/client-specification on npm), run
// against flagstage's one evaluator: every state is translated by fromUnleash, every context by
// toContext. The suite's own index lists the files; a new version's files are picked up as they are.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, validateConfig } from 'flagstage'
import { fromUnleash, toContext, unleashVariant } from 'flagstage/unleash'
import type { UnleashContext, UnleashFeatures } from 'flagstage/unleash'

const dir = join(dirname(createRequire(import.meta.url).resolve('@unleash/client-specification/package.json')), 'specifications')
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as string[]

interface Spec {
  name: string
  state: UnleashFeatures
  tests?: { description: string; context: UnleashContext; toggleName: string; expectedResult: boolean }[]
  variantTests?: { description: string; context: UnleashContext; toggleName: string; expectedResult: Record<string, unknown> }[]
}

const counts = { passed: 0, total: 0 }
afterAll(() => {
  // The counts the issue asks for, printed with the run.
  console.log(`Unleash client specification: ${counts.passed}/${counts.total} cases passed over ${index.length} files`)
})

describe('Unleash client specification', () => {
  it('ships at least the 22 files of version 6', () => {
    expect(index.length).toBeGreaterThanOrEqual(22)
  })

  for (const file of index) {
    const spec = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Spec
    describe(file, () => {
      const config = validateConfig(fromUnleash(spec.state))
      const client = createClient({ bootstrap: config })
      for (const t of spec.tests ?? []) {
        it(`isEnabled: ${t.description}`, () => {
          counts.total++
          expect(client.forContext(toContext(t.context)).isEnabled(t.toggleName)).toBe(t.expectedResult)
          counts.passed++
        })
      }
      for (const t of spec.variantTests ?? []) {
        it(`getVariant: ${t.description}`, () => {
          counts.total++
          const expected = { ...t.expectedResult }
          delete expected.featureEnabled // some files carry both spellings
          expect(unleashVariant(client.forContext(toContext(t.context)), t.toggleName)).toEqual(expected)
          counts.passed++
        })
      }
    })
  }
})
