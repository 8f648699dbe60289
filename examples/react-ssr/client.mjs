// Browser entry (bundled by server.mjs with esbuild). Boots from the snapshot the server rendered
// with, so the first render matches the HTML, then streams configs over SSE.
import { sse } from 'flagstage'
import { FlagsProvider } from 'flagstage/react'
import { createElement as h, StrictMode, useEffect } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { App } from './app.mjs'

const { snapshot, context } = window.__FLAGSTAGE__
window.__hydrationErrors = []

// Marks the page once React has hydrated (for the end-to-end test and for curious readers).
function Hydrated({ children }) {
  useEffect(() => {
    document.body.dataset.hydrated = 'true'
  }, [])
  return children
}

hydrateRoot(
  document.getElementById('root'),
  h(StrictMode, null,
    h(FlagsProvider, { options: { bootstrap: snapshot, context, source: sse('/flags/stream', { fallbackUrl: '/flags.json' }) } },
      h(Hydrated, null, h(App, { user: context })),
    ),
  ),
  {
    onRecoverableError(error) {
      window.__hydrationErrors.push(String(error))
      console.error('recoverable error', error)
    },
  },
)
