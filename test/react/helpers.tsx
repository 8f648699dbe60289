// Shared by the React tests: a source driven by hand, configs, and render counters.
import type { Config, FlagConfig } from 'flagstage'

export { manualSource, type ManualSource } from '../helpers/manual-source.ts'

const on = (enabled = true): FlagConfig => ({ enabled, rules: [{ serve: 'on' }] })

/** A config with boolean flags `a`, `b`, a string flag `button` and a JSON flag `limits`. */
export const config = (revision = 'r1', flags: Record<string, FlagConfig> = {}): Config => ({
  schemaVersion: 1,
  revision,
  flags: {
    a: on(),
    b: on(false),
    button: { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control', rules: [{ serve: 'treatment' }] },
    limits: { enabled: true, variants: { on: { max: 10 }, off: { max: 1 } }, rules: [{ serve: 'on' }] },
    beta: {
      enabled: true,
      rules: [{ if: { attr: 'email', op: 'endsWith', value: '@example.com' }, serve: 'on' }],
    },
    ...flags,
  },
})

/** Count renders per name: `const renders = counter(); ... renders.hit('A'); renders.get('A')`. */
export interface Counter {
  hit(name: string): void
  get(name: string): number
  reset(): void
}

export const counter = (): Counter => {
  const counts = new Map<string, number>()
  return {
    hit: (name) => void counts.set(name, (counts.get(name) ?? 0) + 1),
    get: (name) => counts.get(name) ?? 0,
    reset: () => counts.clear(),
  }
}

/** Let timers and microtasks queued so far run (deferred closes, status re-reads). */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
