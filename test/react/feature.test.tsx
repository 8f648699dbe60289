// @vitest-environment happy-dom
import { act, render, screen } from '@testing-library/react'
import { createClient } from 'flagstage'
import { Feature, FlagsProvider } from 'flagstage/react'
import { describe, expect, it } from 'vitest'
import { config, counter, manualSource } from './helpers.tsx'

describe('<Feature>', () => {
  it('renders its children when the flag is enabled, else the fallback', () => {
    const client = createClient({ bootstrap: config() })
    render(
      <FlagsProvider client={client}>
        <Feature flag="a" fallback={<p>old a</p>}><p>new a</p></Feature>
        <Feature flag="b" fallback={<p>old b</p>}><p>new b</p></Feature>
        <Feature flag="unknown"><p>never</p></Feature>
      </FlagsProvider>,
    )
    expect(screen.getByText('new a')).toBeTruthy()
    expect(screen.getByText('old b')).toBeTruthy()
    expect(screen.queryByText('never')).toBeNull()
  })

  it('renders its children only for the variant named', () => {
    const client = createClient({ bootstrap: config() })
    render(
      <FlagsProvider client={client}>
        <Feature flag="button" variant="treatment"><p>green</p></Feature>
        <Feature flag="button" variant="control" fallback={<p>not control</p>}><p>blue</p></Feature>
      </FlagsProvider>,
    )
    expect(screen.getByText('green')).toBeTruthy()
    expect(screen.getByText('not control')).toBeTruthy()
  })

  it('leaves its children alone when other flags change, and hides them when the kill switch is thrown', () => {
    const source = manualSource()
    const client = createClient({ bootstrap: config(), source: source.source })
    const renders = counter()
    const New = () => { renders.hit('new'); return <p>new a</p> }
    render(<FlagsProvider client={client}><Feature flag="a" fallback={<p>old a</p>}><New /></Feature></FlagsProvider>)
    act(() => source.push(config('r2', { b: { enabled: true, rules: [{ serve: 'on' }] } })))
    expect(renders.get('new')).toBe(1)
    act(() => source.push(config('r3', { a: { enabled: false, rules: [{ serve: 'on' }] } })))
    expect(screen.queryByText('new a')).toBeNull()
    expect(screen.getByText('old a')).toBeTruthy()
  })
})
