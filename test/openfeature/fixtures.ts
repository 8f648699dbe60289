import type { Config } from 'flagstage'

/** One flag per reason and type, shared by the OpenFeature and OFREP tests. */
export const config: Config = {
  schemaVersion: 1,
  revision: 'r1',
  segments: { beta: { attr: 'email', op: 'endsWith', value: '@example.com' } },
  flags: {
    kill: { enabled: false },
    'static-on': { enabled: true, rules: [{ serve: 'on' }] },
    beta: { enabled: true, rules: [{ if: { segment: 'beta' }, serve: 'on' }] },
    rollout: { enabled: true, rules: [{ serve: { rollout: 50 } }] },
    color: {
      enabled: true,
      variants: { blue: 'blue', green: 'green' },
      offVariant: 'blue',
      rules: [{ serve: { split: { blue: 50, green: 50 } } }],
    },
    limit: {
      enabled: true,
      variants: { low: 10, high: 100.5 },
      offVariant: 'low',
      rules: [{ if: { attr: 'plan', op: 'eq', value: 'pro' }, serve: 'high' }],
    },
    theme: {
      enabled: true,
      variants: { dark: { mode: 'dark', contrast: 2 }, list: [1, 2, 3] },
      offVariant: 'dark',
      rules: [{ if: { attr: 'country', op: 'in', values: ['NL'] }, serve: 'list' }],
    },
  },
}

/** The same config with one flag edited (beta now serves everyone) and a new revision. */
export const edited: Config = {
  ...config,
  revision: 'r2',
  flags: { ...config.flags, beta: { enabled: true, rules: [{ serve: 'on' }] } },
}
