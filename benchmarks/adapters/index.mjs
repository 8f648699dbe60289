// Adapter registry. Every adapter has the same shape:
//   { id, label, pkg, version, group: 'flagstage' | 'peer' | 'floor',
//     setup(workload, users) -> { entries: [{ name, fn(ctx), contexts, async? }], close() },
//     load(json, prepared?) -> { evaluate(flag, neutralCtx), close() },   // cold start and memory
//     prepare?(json) -> prepared }                                          // untimed, before load
// flagstage is imported lazily so the peers can run before `npm run build` has produced dist/.
export const ADAPTER_IDS = ['floor', 'flagstage', 'growthbook', 'unleash', 'flagd', 'openfeature', 'launchdarkly']
export const SDK_IDS = ADAPTER_IDS.filter((id) => id !== 'floor')

export const loadAdapter = async (id) => (await import(`./${id}.mjs`)).default

/** Load the adapters in `ids`; one that fails to import (flagstage before a build) is reported and skipped. */
export const loadAdapters = async (ids = ADAPTER_IDS) => {
  const out = []
  const skipped = []
  for (const id of ids) {
    try {
      out.push(await loadAdapter(id))
    } catch (err) {
      skipped.push({ id, reason: err.code === 'ERR_MODULE_NOT_FOUND' ? `not importable (${err.message.split('\n')[0]})` : String(err) })
    }
  }
  return { adapters: out, skipped }
}
