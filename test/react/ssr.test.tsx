// @vitest-environment happy-dom
import { act } from '@testing-library/react'
import { createClient } from 'flagstage'
import type { Cache, Client, ClientOptions, Snapshot } from 'flagstage'
import { Feature, FlagsProvider, useFlag, useFlagsStatus, useValue, useVariant } from 'flagstage/react'
import type { ReactElement, ReactNode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import type { Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { config, manualSource } from './helpers.tsx'

const context = { userId: 'u-1', email: 'me@example.com' }
const newer = config('r2', {
  a: { enabled: false },
  button: { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
})

/** What each render saw, in order: the first browser render must equal the server's. */
let renders: string[] = []

const App = (): ReactElement => {
  const a = useFlag('a')
  const button = useVariant('button')
  const limits = useValue('limits', { max: 0 })
  const status = useFlagsStatus()
  const seen = `a=${a} button=${String(button.value)} max=${limits.max} status=${status.state}@${String(status.revision)}`
  renders.push(seen)
  return (
    <main>
      <p id="seen">{seen}</p>
      <Feature flag="beta" fallback={<p>no beta</p>}><p>beta</p></Feature>
    </main>
  )
}

/** Server side: a client bootstrapped with the config, the HTML, and the snapshot to serialize. */
const serverRender = (): { html: string; snapshot: Snapshot } => {
  const server = createClient({ bootstrap: config('r1'), context })
  const html = renderToString(<FlagsProvider client={server}><App /></FlagsProvider>)
  return { html, snapshot: JSON.parse(JSON.stringify(server.snapshot())) as Snapshot }
}

let container: HTMLElement
let root: Root | undefined
let errors: unknown[]

beforeEach(() => {
  renders = []
  errors = []
  container = document.createElement('div')
  document.body.append(container)
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')))
})

afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  container.remove()
  vi.restoreAllMocks()
})

/** Hydrate like a browser: the server HTML in the DOM, then hydrateRoot; collects recoverable errors. */
const hydrate = async (html: string, tree: ReactNode): Promise<void> => {
  container.innerHTML = html
  await act(async () => {
    root = hydrateRoot(container, tree, { onRecoverableError: (error) => void errors.push(error) })
  })
}

describe('server rendering and hydration', () => {
  it('renders the flags evaluated on the server into the HTML', () => {
    const { html } = serverRender()
    expect(html).toContain('a=true button=green max=10 status=ready@r1')
    expect(html).toContain('<p>beta</p>')
  })

  it('hydrates the server HTML without a mismatch (client bootstrapped from the snapshot)', async () => {
    const { html, snapshot } = serverRender()
    const source = manualSource()
    const client = createClient({ bootstrap: snapshot, source: source.source, context })
    renders = []
    await hydrate(html, <FlagsProvider client={client}><App /></FlagsProvider>)
    expect(errors).toEqual([])
    expect(renders[0]).toBe('a=true button=green max=10 status=ready@r1')
    // Then the live client: same flags; its status is `loading` until the source answers.
    expect(container.querySelector('#seen')?.textContent).toBe('a=true button=green max=10 status=loading@r1')
    act(() => source.push(config('r1')))
    expect(container.innerHTML).toBe(html)
    client.close()
  })

  it('shows the server values in the first browser render (no flicker)', async () => {
    const { html, snapshot } = serverRender()
    const server = renders[0]
    renders = []
    await hydrate(html, <FlagsProvider options={{ bootstrap: snapshot, context }}><App /></FlagsProvider>)
    expect(renders[0]).toBe(server)
    expect(new Set(renders)).toEqual(new Set([server]))
  })

  it('hydrates without a mismatch when the source sent a newer config before hydration, then shows it', async () => {
    const { html, snapshot } = serverRender()
    const source = manualSource()
    const client = createClient({ bootstrap: snapshot, source: source.source, context })
    source.push(newer) // e.g. the SSE stream answered before React started hydrating
    renders = []
    await hydrate(html, <FlagsProvider client={client} snapshot={snapshot}><App /></FlagsProvider>)
    expect(errors).toEqual([])
    expect(renders[0]).toContain('a=true button=green')
    expect(container.querySelector('#seen')?.textContent).toContain('a=false button=blue max=10')
    client.close()
  })

  it('hydrates without a mismatch from options, even when a cache holds another config', async () => {
    const { html, snapshot } = serverRender()
    const source = manualSource()
    const cache: Cache = { load: () => ({ document: newer, savedAt: Date.now() }), save: () => {} }
    const options: ClientOptions = { bootstrap: snapshot, source: source.source, cache, context }
    renders = []
    await hydrate(html, <FlagsProvider options={options}><App /></FlagsProvider>)
    expect(errors).toEqual([])
    expect(renders[0]).toContain('a=true button=green')
    // After hydration the browser shows what it has: the cached config, until the source answers.
    expect(container.querySelector('#seen')?.textContent).toContain('a=false button=blue')
    act(() => source.push(config('r3')))
    expect(container.querySelector('#seen')?.textContent).toContain('a=true button=green max=10 status=ready@r3')
  })

  it('hydrates without a mismatch when browser-only overrides (e.g. urlOverrides()) apply, then shows them', async () => {
    const { html } = serverRender()
    renders = []
    await hydrate(html, <FlagsProvider options={{ bootstrap: config('r1'), overrides: { a: 'off' }, context }}><App /></FlagsProvider>)
    expect(errors).toEqual([])
    expect(renders[0]).toContain('a=true')
    expect(container.querySelector('#seen')?.textContent).toContain('a=false')
  })

  it('updates the hydrated page when a new config streams in', async () => {
    const { html, snapshot } = serverRender()
    const source = manualSource()
    await hydrate(html, <FlagsProvider options={{ bootstrap: snapshot, source: source.source, context }}><App /></FlagsProvider>)
    await act(async () => {
      source.push(newer)
      await Promise.resolve()
    })
    expect(container.querySelector('#seen')?.textContent).toBe('a=false button=blue max=10 status=ready@r2')
    expect(errors).toEqual([])
  })

  it('detects a mismatch when the browser renders other flags than the server (control for the tests above)', async () => {
    const { html } = serverRender()
    const client: Client = createClient({ bootstrap: newer, context })
    await hydrate(html, <FlagsProvider client={client}><App /></FlagsProvider>)
    expect(errors.length).toBeGreaterThan(0)
  })
})
