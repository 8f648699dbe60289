import type { Source } from '../core/source.ts'

/**
 * A source that emits one fixed document, asynchronously (in a microtask, like every other
 * source), and never fails. For tests, SSR and configs bundled with the app.
 * @example
 * createClient({ source: staticSource({ schemaVersion: 1, revision: 'r1', flags: {} }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function staticSource(document: unknown): Source {
  return {
    start(emit) {
      let live = true
      queueMicrotask(() => live && emit(document))
      return () => {
        live = false
      }
    },
  }
}
