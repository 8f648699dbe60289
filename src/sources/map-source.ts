import { ErrorCode, FlagstageError, isFlagstageError } from '../core/errors.ts'
import type { EmitMeta, Source } from '../core/source.ts'

/**
 * A source whose documents pass through `map` before the client validates them: translate another
 * format (`fromUnleash`, `fromFlagd`) or reshape a document, over any source (`http()`, `sse()`,
 * `file()` from `flagstage/node`). `map` may keep state between documents (applying deltas). A
 * "not modified" signal (HTTP 304) passes through unmapped; when `map` throws, the error is reported
 * (a `FlagstageError` as is, anything else as SOURCE_ERROR) and nothing is emitted, so the client
 * keeps its last good config.
 * @example
 * createClient({ source: mapSource(http('https://cdn.example.com/flagd.json'), fromFlagd) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function mapSource(source: Source, map: (document: unknown, meta?: EmitMeta) => unknown): Source {
  return {
    start(emit, fail) {
      return source.start((document, meta) => {
        if (meta?.notModified) return emit(document, meta)
        let mapped: unknown
        try {
          mapped = map(document, meta)
        } catch (error) {
          fail(isFlagstageError(error) ? error
            : new FlagstageError(ErrorCode.SOURCE_ERROR, `mapping the document failed: ${(error as Error)?.message}`, { cause: error }))
          return false // nothing was accepted: the source must not build on this document (issue #9)
        }
        return emit(mapped, meta)
      }, fail)
    },
  }
}
