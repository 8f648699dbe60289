import { getDefaultClient, logOnce } from 'flagstage'
import type { Client, Context } from 'flagstage'

/**
 * Builds the flag context from a request: `(req) => ({ userId: req.user?.id, country: ... })`.
 * May be async (a session lookup); a throw or rejection is reported once and the request is
 * evaluated with an empty context (flags serve their anonymous answer), so flags never fail a request.
 */
export type ContextFunction<Req> = (request: Req) => Context | Promise<Context>

const failed = (error: unknown, client: Client | undefined): Context => {
  // In every build: requests silently evaluated as anonymous would hide a real bug.
  const logger = (client ?? getDefaultClient())?.logger ?? console
  logOnce(logger, 'warn', '[flagstage/node] the context function threw; evaluating this request with an empty context', error)
  return {}
}

/**
 * Call `fn(request)` and pass the context to `then`: synchronously when `fn` is synchronous
 * (no promise on the hot path), after it settles otherwise. Never throws. Internal.
 */
export const resolveContext = <Req>(
  fn: ContextFunction<Req>,
  request: Req,
  then: (context: Context) => void,
  client?: Client,
): void => {
  let context: Context | Promise<Context>
  try {
    context = fn(request)
  } catch (error) {
    then(failed(error, client))
    return
  }
  if (context && typeof (context as Promise<Context>).then === 'function') {
    ;(context as Promise<Context>).then(
      (resolved) => then(resolved ?? {}),
      (error: unknown) => then(failed(error, client)),
    )
  } else {
    then((context as Context | undefined) ?? {})
  }
}
