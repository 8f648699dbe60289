// The app each runtime serves (bundled or loaded from dist/): a client created at module scope (the
// Worker pattern: workerd refuses its first fetch there, and it starts inside the first request),
// and flagstage/server's evaluatedHandler. ORIGIN is replaced by the test.
import { createClient, http } from 'flagstage'
import { evaluatedHandler } from 'flagstage/server'

export const flags = createClient({ source: http(`${ORIGIN}/flags.json`, { pollMs: 60_000 }) })
export const handler = evaluatedHandler({
  client: flags,
  context: (request) => ({ userId: request.headers.get('x-user') ?? undefined, country: request.headers.get('x-country') ?? undefined }),
})
