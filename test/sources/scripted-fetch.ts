// An in-memory fetch for source tests on a fake clock: the test answers each call when it likes.
export interface Call {
  url: string
  headers: Headers
  signal: AbortSignal
}

/**
 * A fetch whose answers the test gives, call by call: `answer(n, response)`; until then it hangs, and
 * rejects on abort (unless `ignoreAbort`: a runtime that lost the request and may still answer it).
 */
export const scriptedFetch = ({ ignoreAbort = false }: { ignoreAbort?: boolean } = {}): { calls: Call[]; fetch: (url: string, init: RequestInit) => Promise<Response>; answer: (n: number, res: Response) => void } => {
  const calls: Call[] = []
  const pending: ((res: Response) => void)[] = []
  return {
    calls,
    fetch: (url, init) =>
      new Promise((resolve, reject) => {
        const signal = init.signal!
        calls.push({ url, headers: new Headers(init.headers), signal })
        pending.push(resolve)
        if (!ignoreAbort) signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      }),
    answer: (n, res) => pending[n]!(res),
  }
}
export const jsonResponse = (doc: unknown): Response => new Response(JSON.stringify(doc), { headers: { 'content-type': 'application/json' } })

/** An event stream the test writes to. */
export const stream = (): { res: Response; write: (text: string) => void; close: () => void } => {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) })
  return {
    res: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    write: (text) => controller.enqueue(new TextEncoder().encode(text)),
    close: () => controller.close(),
  }
}
