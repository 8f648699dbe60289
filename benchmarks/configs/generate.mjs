// Config generator: one neutral flag spec, written out in each SDK's own config format.
//
//   node configs/generate.mjs            writes configs/out/<sdk>-{workloads,1000,10000}.json
//   import { workloadConfig, coldConfigJson } from './configs/generate.mjs'
//
// Neutral specs: { kind: 'plain', on } | { kind: 'rollout', p } | { kind: 'targeting', p } | { kind: 'split' }
// 'targeting' = country in [US, CA, GB] and plan == pro -> on, else a p% rollout.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FLAGS, SPLIT, TARGET_COUNTRIES } from '../lib/workloads.mjs'

export const SDKS = ['flagstage', 'growthbook', 'unleash', 'flagd', 'openfeature', 'launchdarkly']

/** The workload flags (W1..W4) as neutral specs. */
export const WORKLOAD_SPECS = {
  [FLAGS.w1]: { kind: 'plain', on: true },
  [FLAGS.w2]: { kind: 'rollout', p: 50 },
  [FLAGS.w3]: { kind: 'targeting', p: 10 },
  [FLAGS.w4]: { kind: 'split' },
}

/** A realistic mix for cold start: 60% plain (half off), 25% rollouts, 10% targeting, 5% splits. */
export const coldSpecs = (n) => {
  const specs = {}
  for (let i = 0; i < n; i++) {
    const m = i % 20
    const p = 5 + ((i * 7) % 90)
    specs[`flag-${i}`] =
      m < 12 ? { kind: 'plain', on: i % 2 === 0 }
      : m < 17 ? { kind: 'rollout', p }
      : m < 19 ? { kind: 'targeting', p }
      : { kind: 'split' }
  }
  return specs
}

/** The flag evaluated first after a cold start (a 5% + ... rollout: index 12 is a rollout). */
export const COLD_FLAG = 'flag-12'

// ---------------------------------------------------------------- flagstage (DESIGN section 3)
const flagstageTargeting = {
  all: [
    { attr: 'country', op: 'in', values: TARGET_COUNTRIES },
    { attr: 'plan', op: 'eq', value: 'pro' },
  ],
}
const flagstageFlag = (key, s) => {
  switch (s.kind) {
    case 'plain': return s.on ? { enabled: true, rules: [{ serve: 'on' }] } : { enabled: false }
    case 'rollout': return { enabled: true, rules: [{ serve: { rollout: s.p, by: 'userId' } }] }
    case 'targeting': return {
      enabled: true,
      rules: [{ if: flagstageTargeting, serve: 'on' }, { serve: { rollout: s.p, by: 'userId' } }],
    }
    case 'split': return {
      enabled: true,
      variants: Object.fromEntries(SPLIT.map(([v]) => [v, v])),
      offVariant: 'control',
      rules: [{ serve: { split: Object.fromEntries(SPLIT), by: 'userId' } }],
    }
  }
}
const flagstageDoc = (specs) => ({
  schemaVersion: 1,
  revision: 'bench-1',
  flags: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, flagstageFlag(k, s)])),
})

// ---------------------------------------------------------------- GrowthBook (features payload)
const gbRollout = (p) => ({ force: true, coverage: p / 100, hashAttribute: 'id' })
const growthbookFlag = (key, s) => {
  switch (s.kind) {
    case 'plain': return { defaultValue: s.on }
    case 'rollout': return { defaultValue: false, rules: [gbRollout(s.p)] }
    case 'targeting': return {
      defaultValue: false,
      rules: [{ condition: { country: { $in: TARGET_COUNTRIES }, plan: 'pro' }, force: true }, gbRollout(s.p)],
    }
    case 'split': return {
      defaultValue: 'control',
      rules: [{
        key, variations: SPLIT.map(([v]) => v), weights: SPLIT.map(([, w]) => w / 100), coverage: 1, hashAttribute: 'id',
      }],
    }
  }
}
const growthbookDoc = (specs) => ({
  features: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, growthbookFlag(k, s)])),
})

// ---------------------------------------------------------------- Unleash (client features API, v2)
const unleashRollout = (name, p, constraints = []) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(p), stickiness: 'userId', groupId: name },
  constraints,
})
const unleashFlag = (name, s) => {
  const base = { name, type: 'release', enabled: true, stale: false, impressionData: false, variants: [] }
  switch (s.kind) {
    case 'plain': return { ...base, enabled: s.on, strategies: [{ name: 'default', parameters: {}, constraints: [] }] }
    case 'rollout': return { ...base, strategies: [unleashRollout(name, s.p)] }
    case 'targeting': return {
      ...base,
      strategies: [
        unleashRollout(name, 100, [
          { contextName: 'country', operator: 'IN', values: TARGET_COUNTRIES, caseInsensitive: false, inverted: false },
          { contextName: 'plan', operator: 'IN', values: ['pro'], caseInsensitive: false, inverted: false },
        ]),
        unleashRollout(name, s.p),
      ],
    }
    case 'split': return {
      ...base,
      type: 'experiment',
      strategies: [{ name: 'default', parameters: {}, constraints: [] }],
      variants: SPLIT.map(([v, w]) => ({ name: v, weight: w * 10, weightType: 'variable', stickiness: 'userId' })),
    }
  }
}
const unleashDoc = (specs) => ({
  version: 2,
  features: Object.entries(specs).map(([k, s]) => unleashFlag(k, s)),
})

// ---------------------------------------------------------------- flagd (flagd flag definitions, JsonLogic)
const flagdCondition = {
  and: [
    { in: [{ var: 'country' }, TARGET_COUNTRIES] },
    { '==': [{ var: 'plan' }, 'pro'] },
  ],
}
const flagdFractional = (p) => ({ fractional: [['on', p], ['off', 100 - p]] })
const flagdFlag = (key, s) => {
  const bool = { state: 'ENABLED', variants: { on: true, off: false } }
  switch (s.kind) {
    case 'plain': return { ...bool, defaultVariant: s.on ? 'on' : 'off' }
    case 'rollout': return { ...bool, defaultVariant: 'off', targeting: flagdFractional(s.p) }
    case 'targeting': return { ...bool, defaultVariant: 'off', targeting: { if: [flagdCondition, 'on', flagdFractional(s.p)] } }
    case 'split': return {
      state: 'ENABLED',
      variants: Object.fromEntries(SPLIT.map(([v]) => [v, v])),
      defaultVariant: 'control',
      targeting: { fractional: SPLIT.map(([v, w]) => [v, w]) },
    }
  }
}
const flagdDoc = (specs) => ({
  flags: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, flagdFlag(k, s)])),
})

// ---------------------------------------------------------------- OpenFeature InMemoryProvider
// The in-memory provider has no rules and no hashing: a flag is variants + defaultVariant +
// an optional contextEvaluator *function*. So its JSON is the flag's variants plus the neutral
// spec; adapters/openfeature.mjs turns the spec into a contextEvaluator written by hand.
const openfeatureFlag = (key, s) => {
  if (s.kind === 'split') {
    return { variants: Object.fromEntries(SPLIT.map(([v]) => [v, v])), defaultVariant: 'control', disabled: false, spec: s }
  }
  return {
    variants: { on: true, off: false },
    defaultVariant: s.kind === 'plain' && s.on ? 'on' : 'off',
    disabled: false,
    ...(s.kind === 'plain' ? {} : { spec: s }),
  }
}
const openfeatureDoc = (specs) => ({
  flags: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, openfeatureFlag(k, s)])),
})

// ---------------------------------------------------------------- LaunchDarkly (server flag data model)
const ldRollout = (weights) => ({
  rollout: { variations: weights.map((w, i) => ({ variation: i, weight: Math.round(w * 1000) })) },
})
const ldFlag = (key, s) => {
  const base = {
    key, version: 1, on: true, variations: [true, false], offVariation: 1, fallthrough: { variation: 0 },
    targets: [], contextTargets: [], rules: [], prerequisites: [], salt: key,
    trackEvents: false, trackEventsFallthrough: false, debugEventsUntilDate: null, clientSide: false, deleted: false,
  }
  switch (s.kind) {
    case 'plain': return { ...base, on: s.on }
    case 'rollout': return { ...base, fallthrough: ldRollout([s.p, 100 - s.p]) }
    case 'targeting': return {
      ...base,
      rules: [{
        id: `${key}-r0`,
        clauses: [
          { contextKind: 'user', attribute: 'country', op: 'in', values: TARGET_COUNTRIES, negate: false },
          { contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro'], negate: false },
        ],
        variation: 0,
        trackEvents: false,
      }],
      fallthrough: ldRollout([s.p, 100 - s.p]),
    }
    case 'split': return {
      ...base,
      variations: SPLIT.map(([v]) => v),
      offVariation: 0,
      fallthrough: ldRollout(SPLIT.map(([, w]) => w)),
    }
  }
}
const launchdarklyDoc = (specs) => ({
  flags: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, ldFlag(k, s)])),
  segments: {},
})

const DOCS = {
  flagstage: flagstageDoc,
  growthbook: growthbookDoc,
  unleash: unleashDoc,
  flagd: flagdDoc,
  openfeature: openfeatureDoc,
  launchdarkly: launchdarklyDoc,
}

/** The W1..W4 config (an object) in `sdk`'s format. */
export const workloadConfig = (sdk) => DOCS[sdk](WORKLOAD_SPECS)

/** A config of `n` flags in `sdk`'s format, as the JSON string an SDK would receive. */
export const coldConfigJson = (sdk, n) => JSON.stringify(DOCS[sdk](coldSpecs(n)))

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'out')
  mkdirSync(out, { recursive: true })
  for (const sdk of SDKS) {
    writeFileSync(join(out, `${sdk}-workloads.json`), JSON.stringify(workloadConfig(sdk), null, 2))
    for (const n of [1000, 10000]) {
      const json = coldConfigJson(sdk, n)
      writeFileSync(join(out, `${sdk}-${n}.json`), json)
      console.log(`${sdk}-${n}.json  ${(json.length / 1024).toFixed(0)} KiB`)
    }
  }
}
