// The fetch plumbing http() and sse() share (src/sources/request.ts, internal): byte counting, body
// reading, JSON parse errors and the network error message. No server: custom fetches and Responses.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FlagstageError } from 'flagstage'
import { parseJson, read, request, utf8Length } from '../../src/sources/request.ts'

const bytes = (text: string): number => new TextEncoder().encode(text).length

/** A Response whose body arrives in the given chunks of bytes. */
const chunked = (...chunks: Uint8Array[]): Response =>
  new Response(new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  }))

const collect = async (res: Response, maxBytes?: number): Promise<string> => {
  let text = ''
  await read(res, (chunk) => (text += chunk), maxBytes)
  return text
}

describe('utf8Length()', () => {
  it.each([
    ['\x7f', 1], ['\x80', 2], ['\u07ff', 2], ['\u0800', 3], ['\ud7ff', 3], ['\ue000', 3], ['\uffff', 3],
    ['\u{10000}', 4], ['\u{10ffff}', 4], ['\ud800\udc00', 4], ['\udbff\udfff', 4], ['aé€😀', 10],
  ])('counts %j as %i bytes, as UTF-8 encodes it', (text, n) => {
    expect(utf8Length(text)).toBe(n)
    expect(bytes(text)).toBe(n)
  })

  it('agrees with TextEncoder on any well-formed string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => utf8Length(text) === bytes(text)))
  })
})

describe('read()', () => {
  it('decodes a character whose bytes are split across chunks', async () => {
    const encoded = new TextEncoder().encode('{"name":"café €"}')
    const cut = encoded.indexOf(0xc3) + 1 // between the two bytes of é
    const cut2 = encoded.indexOf(0xe2) + 2 // inside the three bytes of €
    expect(await collect(chunked(encoded.slice(0, cut), encoded.slice(cut, cut2), encoded.slice(cut2)))).toBe('{"name":"café €"}')
  })

  it('accepts a body of exactly maxBytes and fails one byte over, with PAYLOAD_TOO_LARGE', async () => {
    const body = new TextEncoder().encode('{"a":"é"}') // 10 bytes
    expect(await collect(chunked(body.slice(0, 4), body.slice(4)), 10)).toBe('{"a":"é"}')
    const error = await collect(chunked(body.slice(0, 4), body.slice(4)), 9).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FlagstageError)
    expect((error as FlagstageError).code).toBe('PAYLOAD_TOO_LARGE')
    expect((error as FlagstageError).message).toContain('maxBytes (9)')
  })

  it('falls back to text() when the Response has no body stream (fetch polyfills)', async () => {
    const res = { body: null, text: async () => '{"a":1}' } as unknown as Response
    expect(await collect(res)).toBe('{"a":1}')
  })
})

describe('parseJson()', () => {
  it.each([
    ['<!doctype html><p>', 'got HTML'],
    ['\n  <html>', 'got HTML'],
    ['{"a": "<b>"', 'invalid JSON'],
    ['oops<', 'invalid JSON'],
    ['', 'invalid JSON'],
  ])('reports %j as PARSE_ERROR saying %s, after what was read', (text, gist) => {
    let error: unknown
    try {
      parseJson(text, 'https://cdn.example/flags.json')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(FlagstageError)
    expect((error as FlagstageError).code).toBe('PARSE_ERROR')
    expect((error as FlagstageError).message).toMatch(new RegExp(`^https://cdn\\.example/flags\\.json: ${gist}`))
    expect((error as FlagstageError).cause).toBeInstanceOf(SyntaxError)
  })
})

describe('request()', () => {
  const failing = (error: unknown) => async (): Promise<Response> => {
    throw error
  }
  const attempt = (fetch: () => Promise<Response>): Promise<FlagstageError> =>
    request('https://cdn.example/flags.json', { fetch }, {}, 5_000, () => {}, async () => 'unreached').then(
      () => expect.unreachable(),
      (error: FlagstageError) => error,
    )

  it('names the message of the cause that fetch hides', async () => {
    const error = await attempt(failing(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND cdn.example'), { code: 'ENOTFOUND' }) })))
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toContain('https://cdn.example/flags.json: fetch failed (getaddrinfo ENOTFOUND cdn.example)')
  })

  it('names the code when the cause has no message (an AggregateError from happy eyeballs)', async () => {
    const error = await attempt(failing(new TypeError('fetch failed', { cause: Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }) })))
    expect(error.message).toContain('fetch failed (ECONNREFUSED)')
  })

  it('adds nothing when there is no cause, and survives a rejection that is not an Error', async () => {
    const plain = await attempt(failing(new Error('offline')))
    expect(plain.message).toMatch(/: offline$/)
    const odd = await attempt(failing(undefined))
    expect(odd).toBeInstanceOf(FlagstageError)
    expect(odd.code).toBe('NETWORK_ERROR')
  })
})
