import type { Config } from 'flagstage'

/** A rollout, a targeting rule (with a rollout fallback), a split, a kill switch, a schedule and a ramp. */
export const config: Config = {
  schemaVersion: 1,
  revision: 'r1',
  segments: { staff: { attr: 'email', op: 'endsWith', value: '@example.com' } },
  flags: {
    'new-checkout': { enabled: true, rules: [{ serve: { rollout: 25 } }] },
    'beta-banner': {
      enabled: true,
      rules: [
        { if: { segment: 'staff' }, serve: 'on' },
        { if: { attr: 'country', op: 'in', values: ['US', 'CA'] }, serve: 'on' },
        { serve: { rollout: 10 } },
      ],
    },
    'checkout-button': {
      enabled: true,
      variants: { control: 'blue', treatment: 'green' },
      offVariant: 'control',
      rules: [{ serve: { split: { control: 50, treatment: 50 } } }],
    },
    'old-search': { enabled: false, rules: [{ serve: 'on' }] },
    'winter-sale': { enabled: true, schedule: { from: '2026-12-20T00:00:00Z', until: '2027-01-05T00:00:00Z' }, rules: [{ serve: 'on' }] },
    'search-v2': {
      enabled: true,
      rules: [{ serve: { rollout: { from: 0, to: 100, start: '2026-12-01T00:00:00Z', end: '2026-12-11T00:00:00Z' } } }],
    },
  },
}
