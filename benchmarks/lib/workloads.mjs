// Workload definitions shared by every adapter: neutral contexts and expected outcomes.
// Contexts are built once, here, so the timed loops measure evaluation, not allocation
// (each adapter converts them to its own shape once, in setup()).

/** mulberry32: a tiny seeded PRNG, so every run and every machine uses the same ids. */
export const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

export const USERS = 10_000
export const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP']
export const TARGET_COUNTRIES = ['US', 'CA', 'GB']
export const PLANS = ['free', 'pro', 'team']

/** 10,000 distinct ASCII unit ids like `u-2s-9f1c04ab` (ASCII, so UTF-8 bytes = UTF-16 code units). */
export const makeUsers = (n = USERS, seed = 42) => {
  const rand = prng(seed)
  const users = new Array(n)
  for (let i = 0; i < n; i++) {
    const hex = Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0')
    users[i] = {
      userId: `u-${i.toString(36)}-${hex}`,
      country: COUNTRIES[Math.floor(rand() * COUNTRIES.length)],
      plan: PLANS[Math.floor(rand() * PLANS.length)],
    }
  }
  return users
}

export const FLAGS = {
  w1: 'w1-plain',
  w2: 'w2-rollout',
  w3: 'w3-targeting',
  w4: 'w4-split',
}

export const SPLIT = [
  ['control', 50],
  ['blue', 30],
  ['green', 20],
]

/**
 * The four per-evaluation workloads. `hit` is the result counted by the timed loop's sink;
 * `expect` is checked on a full pass over all contexts before timing.
 */
export const WORKLOADS = {
  w1: {
    id: 'w1', title: 'W1 plain boolean flag (on)', flag: FLAGS.w1, type: 'boolean', hit: true,
    expect: { true: 1 }, tolerance: 0, floor: 'map',
  },
  w2: {
    id: 'w2', title: 'W2 50% rollout by userId (10,000 ids)', flag: FLAGS.w2, type: 'boolean', hit: true,
    expect: { true: 0.5 }, tolerance: 0.02, floor: 'murmur3',
  },
  w3: {
    id: 'w3', title: 'W3 targeting (country in [US,CA,GB] and plan == pro, else 10% rollout)', flag: FLAGS.w3,
    type: 'boolean', hit: true,
    // 3/8 countries x 1/3 plans match; the rest get a 10% rollout
    expect: { true: (3 / 8) * (1 / 3) + (1 - (3 / 8) * (1 / 3)) * 0.1 }, tolerance: 0.02, floor: 'murmur3',
  },
  w4: {
    id: 'w4', title: 'W4 weighted variants 50/30/20', flag: FLAGS.w4, type: 'string', hit: 'control',
    expect: { control: 0.5, blue: 0.3, green: 0.2 }, tolerance: 0.02, floor: 'murmur3',
  },
}

/** The context used for the first evaluation after a cold start. */
export const COLD_CONTEXT = { userId: 'u-cold-start', country: 'US', plan: 'pro' }
