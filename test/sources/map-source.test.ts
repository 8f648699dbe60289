import { describe, expect, it } from 'vitest'
import { FlagstageError, mapSource } from 'flagstage'
import type { EmitMeta, Source } from 'flagstage'

/** A source the test drives: `emit` returns what the client's emit returned. */
const inner = (): { source: Source; emit: (document: unknown, meta?: EmitMeta) => unknown; fail: (error: FlagstageError) => void; stops: number } => {
  const self = {
    stops: 0,
    emit: (_document: unknown, _meta?: EmitMeta): unknown => undefined,
    fail: (_error: FlagstageError): void => {},
    source: {
      start(emit, fail) {
        self.emit = emit
        self.fail = fail
        return () => void self.stops++
      },
    } as Source,
  }
  return self
}

/** Start `mapSource(inner, map)`, recording what reaches the client; `accept` is what the client's emit answers. */
const run = (map: (document: unknown, meta?: EmitMeta) => unknown, accept: unknown = undefined) => {
  const src = inner()
  const emitted: [unknown, EmitMeta | undefined][] = []
  const errors: FlagstageError[] = []
  const stop = mapSource(src.source, map).start(
    (document, meta) => {
      emitted.push([document, meta])
      return accept
    },
    (error) => void errors.push(error),
  )
  return { src, emitted, errors, stop }
}

describe('mapSource()', () => {
  it('emits what map returns, with the meta, and passes map the document and the meta', () => {
    const seen: unknown[] = []
    const { src, emitted } = run((document, meta) => {
      seen.push([document, meta])
      return { mapped: document }
    })
    src.emit({ a: 1 }, { etag: '"e1"' })
    expect(seen).toEqual([[{ a: 1 }, { etag: '"e1"' }]])
    expect(emitted).toEqual([[{ mapped: { a: 1 } }, { etag: '"e1"' }]])
  })

  it('answers the source with what the client answered (false: rejected, so no 304 builds on it)', () => {
    expect(run((d) => d, false).src.emit({})).toBe(false)
    expect(run((d) => d, true).src.emit({})).toBe(true)
  })

  it('passes "not modified" on without calling map', () => {
    let calls = 0
    const { src, emitted } = run(() => ++calls, 'kept')
    expect(src.emit(undefined, { notModified: true })).toBe('kept')
    expect(calls).toBe(0)
    expect(emitted).toEqual([[undefined, { notModified: true }]])
  })

  it('reports a FlagstageError thrown by map as is, emits nothing and answers false', () => {
    const error = new FlagstageError('INVALID_CONFIG', 'bad flagd document', { path: 'flags.a' })
    const { src, emitted, errors } = run(() => {
      throw error
    })
    expect(src.emit({})).toBe(false)
    expect(errors).toEqual([error])
    expect(errors[0]).toBe(error)
    expect(emitted).toEqual([])
  })

  it('reports anything else map throws as SOURCE_ERROR, with its message and cause', () => {
    const cause = new TypeError('flags is not iterable')
    const { src, emitted, errors } = run(() => {
      throw cause
    })
    expect(src.emit({})).toBe(false)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(FlagstageError)
    expect(errors[0]!.code).toBe('SOURCE_ERROR')
    expect(errors[0]!.message).toContain('mapping the document failed')
    expect(errors[0]!.message).toContain('flags is not iterable')
    expect(errors[0]!.cause).toBe(cause)
    expect(emitted).toEqual([])
  })

  it('reports a thrown undefined as SOURCE_ERROR too, instead of throwing from the source', () => {
    const { src, errors } = run(() => {
      throw undefined
    })
    expect(() => src.emit({})).not.toThrow()
    expect(errors.map((e) => e.code)).toEqual(['SOURCE_ERROR'])
  })

  it('passes the source\'s own errors on, and stops the source', () => {
    const { src, errors, stop } = run((d) => d)
    const error = new FlagstageError('NETWORK_ERROR', 'down')
    src.fail(error)
    expect(errors).toEqual([error])
    stop()
    expect(src.stops).toBe(1)
  })
})
