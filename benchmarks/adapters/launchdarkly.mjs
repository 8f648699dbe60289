// LaunchDarkly Node server SDK, offline: W1-W4 from the TestData integration (flags given as full
// server-side flag JSON with `usePreconfiguredFlag`, since the TestData builder has no percentage rollouts);
// cold start from the FileDataSource (LaunchDarkly's load-from-JSON path, which receives the same
// `{ flags, segments }` shape a streaming `put` carries). Events and diagnostics off, every URI pointed at
// 127.0.0.1:9, logger silenced. `variation()` returns a Promise: awaited per evaluation.
// Semantics: LaunchDarkly buckets with SHA-1 of `key.salt.contextKey` (first 15 hex digits / 0xFFFFFFFFFFFFFFF)
// against weights out of 100,000; users in a rollout differ from flagstage's. W3's rule uses two `in` clauses.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { basicLogger, init } from '@launchdarkly/node-server-sdk'
import { FileDataSourceFactory, TestData } from '@launchdarkly/node-server-sdk/integrations'
import { workloadConfig } from '../configs/generate.mjs'
import { pkgVersion } from '../lib/versions.mjs'

const toContext = (u) => ({ kind: 'user', key: u.userId, country: u.country, plan: u.plan })
const OFFLINE = {
  baseUri: 'http://127.0.0.1:9',
  streamUri: 'http://127.0.0.1:9',
  eventsUri: 'http://127.0.0.1:9',
  sendEvents: false,
  diagnosticOptOut: true,
  logger: basicLogger({ level: 'none' }),
}

export default {
  id: 'launchdarkly',
  label: 'LaunchDarkly',
  pkg: '@launchdarkly/node-server-sdk',
  version: pkgVersion('@launchdarkly/node-server-sdk'),
  group: 'peer',
  async setup(workload, users) {
    const td = new TestData()
    for (const flag of Object.values(workloadConfig('launchdarkly').flags)) await td.usePreconfiguredFlag(flag)
    const client = init('sdk-offline-benchmark', { ...OFFLINE, updateProcessor: td.getFactory() })
    await client.waitForInitialization({ timeout: 10 })
    const flag = workload.flag
    const def = workload.type === 'boolean' ? false : 'control'
    return {
      entries: [{ name: 'LaunchDarkly await variation(key, ctx)', fn: (c) => client.variation(flag, c, def), contexts: users.map(toContext), async: true }],
      close: () => client.close(),
    }
  },
  /** Cold start: the JSON is written to a temp file first (outside any timing); the SDK reads and parses it. */
  async prepare(json) {
    const dir = mkdtempSync(join(tmpdir(), 'flagstage-bench-ld-'))
    const path = join(dir, 'flags.json')
    writeFileSync(path, json)
    return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
  },
  async load(json, prepared) {
    const factory = new FileDataSourceFactory({ paths: [prepared.path], autoUpdate: false })
    const client = init('sdk-offline-benchmark', { ...OFFLINE, updateProcessor: factory.getFactory() })
    await client.waitForInitialization({ timeout: 30 })
    return { evaluate: (flag, u) => client.variation(flag, toContext(u), false), close: () => client.close() }
  },
}
