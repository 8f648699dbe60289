// Issue #9 item 7: under flagsMiddleware() on node:http, isEnabled() from flagstage/node answers for
// the request in callbacks of the request's and response's own events ('data', 'end', 'finish',
// 'close') and in timers started there: those events come from the socket, outside the handler's
// async context. Bodies arrive after the headers (raw sockets) so 'data' really fires later.
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EVENTUALLY } from '../helpers/timeouts.ts'
import { createClient } from 'flagstage'
import { currentContext, flagsMiddleware, isEnabled } from 'flagstage/node'
import { closeAll, config, listen, postLate } from './helpers.ts'

afterEach(closeAll)

const flags = createClient({ bootstrap: config() })
const plan = (req: IncomingMessage): { plan: string } => ({ plan: req.headers['x-plan'] as string })

const finished: boolean[] = []

/** Records, in each stream callback and in a timer started there, whether the request's context is seen. */
const handler = (req: IncomingMessage, res: ServerResponse): void => {
  const want = req.headers['x-plan'] === 'pro'
  const seen: boolean[] = []
  const check = (): void => {
    seen.push(isEnabled('new-home') === want && currentContext()?.plan === req.headers['x-plan'])
  }
  res.on('finish', () => finished.push(isEnabled('new-home') === want))
  // Answer once every check has run: each data timer, and end → its timer → a microtask.
  let pending = 1
  const done = (): void => {
    if (--pending === 0) res.end(JSON.stringify(seen))
  }
  req.on('data', () => {
    check()
    pending++
    setTimeout(() => {
      check()
      done()
    }, 1)
  })
  req.on('end', () => {
    check()
    setTimeout(() => {
      check()
      queueMicrotask(() => {
        check()
        done()
      })
    }, 2)
  })
}

describe('request context in stream events (node:http)', () => {
  for (const mode of ['wrap', 'middleware'] as const) {
    it(`keeps each request's context in req 'data'/'end', res 'finish' and timers they start (${mode})`, async () => {
      const middleware = flagsMiddleware({ client: flags, context: plan })
      const origin = await listen(createServer(mode === 'wrap'
        ? middleware.wrap(handler)
        : (req, res) => middleware(req, res, () => handler(req, res))))
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
        postLate(origin, '/', { 'x-plan': i % 2 ? 'pro' : 'free' }, { i, pad: 'x'.repeat(100) }, 5 + (i % 7))))
      await vi.waitFor(() => expect(finished).toHaveLength(40), EVENTUALLY)
      expect(finished.splice(0)).toEqual(Array.from({ length: 40 }, () => true))
      for (const { status, body } of answers) {
        expect(status).toBe(200)
        const seen = JSON.parse(body) as boolean[]
        expect(seen.length).toBeGreaterThanOrEqual(5) // data, its timer, end, end's timer, microtask
        expect(seen.every(Boolean)).toBe(true)
      }
    })
  }
})
