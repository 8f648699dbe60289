// @vitest-environment happy-dom
import { act, render, screen } from '@testing-library/react'
import { createClient, http } from 'flagstage'
import type { Client } from 'flagstage'
import { Feature, FlagsProvider, useFlag, useFlags, useFlagsClient, useFlagsStatus, useValue, useVariant } from 'flagstage/react'
import * as React from 'react'
import { StrictMode } from 'react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { config, manualSource, tick } from './helpers.tsx'

const Show = () => <p>a={String(useFlag('a'))}</p>

describe('hooks outside a provider', () => {
  afterEach(() => vi.restoreAllMocks())

  const uses: [string, () => unknown][] = [
    ['useFlag', () => useFlag('a')],
    ['useVariant', () => useVariant('a')],
    ['useValue', () => useValue('a', false)],
    ['useFlags', () => useFlags()],
    ['useFlagsStatus', () => useFlagsStatus()],
    ['useFlagsClient', () => useFlagsClient()],
    ['<Feature>', () => Feature({ flag: 'a', children: 'x' })],
  ]
  for (const [name, use] of uses) {
    it(`${name} throws an error that names <FlagsProvider>`, () => {
      vi.spyOn(console, 'error').mockImplementation(() => {}) // React logs the uncaught render error
      const Use = () => { use(); return null }
      expect(() => render(<Use />)).toThrow(/<FlagsProvider>/)
    })
  }
})

describe('FlagsProvider with a client', () => {
  it('serves the client it is given', () => {
    const client = createClient({ bootstrap: config() })
    let seen: Client | undefined
    const Grab = () => { seen = useFlagsClient(); return null }
    render(<FlagsProvider client={client}><Show /><Grab /></FlagsProvider>)
    expect(screen.getByText('a=true')).toBeTruthy()
    expect(seen).toBe(client)
  })

  it('never closes a client passed in, on unmount or under StrictMode', async () => {
    const source = manualSource()
    const client = createClient({ source: source.source })
    const { unmount } = render(<StrictMode><FlagsProvider client={client}><Show /></FlagsProvider></StrictMode>)
    unmount()
    await tick()
    expect([source.starts, source.stops]).toEqual([1, 0])
    source.push(config())
    expect(client.isEnabled('a')).toBe(true)
    client.close()
  })

  it('switches to a new client passed in', () => {
    const one = createClient({ bootstrap: config() })
    const two = createClient({ bootstrap: config('r2', { a: { enabled: false } }) })
    const { rerender } = render(<FlagsProvider client={one}><Show /></FlagsProvider>)
    rerender(<FlagsProvider client={two}><Show /></FlagsProvider>)
    expect(screen.getByText('a=false')).toBeTruthy()
  })
})

describe('FlagsProvider with options', () => {
  it('creates a client, starts its source after mount and closes it on unmount', async () => {
    const source = manualSource()
    const { unmount } = render(<FlagsProvider options={{ bootstrap: config(), source: source.source }}><Show /></FlagsProvider>)
    expect(screen.getByText('a=true')).toBeTruthy()
    expect(source.starts).toBe(1)
    act(() => source.push(config('r2', { a: { enabled: false } })))
    expect(screen.getByText('a=false')).toBeTruthy()
    unmount()
    await tick()
    expect(source.stops).toBe(1)
  })

  it('starts one source, not two, under StrictMode double mount, and stops it on unmount', async () => {
    const source = manualSource()
    const { unmount } = render(
      <StrictMode><FlagsProvider options={{ bootstrap: config(), source: source.source }}><Show /></FlagsProvider></StrictMode>,
    )
    await tick()
    expect([source.starts, source.stops]).toEqual([1, 0])
    act(() => source.push(config('r2', { a: { enabled: false } })))
    expect(screen.getByText('a=false')).toBeTruthy()
    unmount()
    await tick()
    expect([source.starts, source.stops]).toEqual([1, 1])
  })

  it('makes one request with a real http() source under StrictMode', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(config('r2', { a: { enabled: false } })), { headers: { etag: '"r2"' } }))
    const { unmount } = render(
      <StrictMode>
        <FlagsProvider options={{ bootstrap: config(), source: http('http://flags.test/flags.json', { fetch, pollMs: 60_000 }) }}>
          <Show />
        </FlagsProvider>
      </StrictMode>,
    )
    await screen.findByText('a=false')
    expect(fetch).toHaveBeenCalledTimes(1)
    unmount()
    await tick()
  })

  it('starts nothing for a render that never commits (a suspended first render)', () => {
    const source = manualSource()
    // A render React throws away (StrictMode's extra render, a suspended first render) creates a client but opens nothing.
    const Boom = (): ReactNode => { throw new Promise(() => {}) }
    render(<React.Suspense fallback="wait"><FlagsProvider options={{ bootstrap: config(), source: source.source }}><Boom /></FlagsProvider></React.Suspense>)
    expect(screen.getByText('wait')).toBeTruthy()
    expect(source.starts).toBe(0)
  })

  it.skipIf(!('Activity' in React))('closes while hidden by <Activity> and starts a fresh client when shown again', async () => {
    const Activity = (React as unknown as { Activity: (p: { mode: 'visible' | 'hidden'; children: ReactNode }) => ReactNode }).Activity
    const source = manualSource()
    const tree = (mode: 'visible' | 'hidden') => (
      <Activity mode={mode}><FlagsProvider options={{ bootstrap: config(), source: source.source }}><Show /></FlagsProvider></Activity>
    )
    const { rerender } = render(tree('visible'))
    rerender(tree('hidden'))
    await tick()
    expect([source.starts, source.stops]).toEqual([1, 1])
    rerender(tree('visible'))
    await tick()
    expect([source.starts, source.stops]).toEqual([2, 1])
    act(() => source.push(config('r2', { a: { enabled: false } })))
    expect(screen.getByText('a=false')).toBeTruthy()
  })
})
