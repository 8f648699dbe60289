// @vitest-environment happy-dom
import { act, render, screen } from '@testing-library/react'
import { createClient } from 'flagstage'
import { FlagsProvider, useFlag, useValue, useVariant } from 'flagstage/react'
import type { FlagVariant } from 'flagstage/react'
import { describe, expect, it } from 'vitest'
import { config, counter, manualSource } from './helpers.tsx'

const setup = (context = {}) => {
  const source = manualSource()
  const client = createClient({ bootstrap: config('r1'), source: source.source, context })
  return { client, source }
}

describe('useFlag', () => {
  it('returns whether the flag is enabled for the client context', () => {
    const { client } = setup()
    const A = () => <p>a={String(useFlag('a'))} b={String(useFlag('b'))}</p>
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    expect(screen.getByText('a=true b=false')).toBeTruthy()
  })

  it('returns the fallback for an unknown flag, and false without one', () => {
    const { client } = setup()
    const A = () => <p>{String(useFlag('nope', true))},{String(useFlag('nope'))},{String(useFlag('b', true))}</p>
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    expect(screen.getByText('true,false,false')).toBeTruthy()
  })

  it('updates when a new config arrives', () => {
    const { client, source } = setup()
    const A = () => <p>b={String(useFlag('b'))}</p>
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    act(() => source.push(config('r2', { b: { enabled: true, rules: [{ serve: 'on' }] } })))
    expect(screen.getByText('b=true')).toBeTruthy()
  })

  it('updates when the client context changes', () => {
    const { client } = setup({ email: 'x@other.com' })
    const A = () => <p>beta={String(useFlag('beta'))}</p>
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    expect(screen.getByText('beta=false')).toBeTruthy()
    act(() => client.setContext({ email: 'me@example.com' }))
    expect(screen.getByText('beta=true')).toBeTruthy()
  })

  it('re-renders only components whose flag changed', () => {
    const { client, source } = setup()
    const renders = counter()
    const A = () => { renders.hit('A'); return <p>a={String(useFlag('a'))}</p> }
    const B = () => { renders.hit('B'); return <p>b={String(useFlag('b'))}</p> }
    const Button = () => { renders.hit('Button'); return <p>button={String(useVariant('button').value)}</p> }
    render(<FlagsProvider client={client}><A /><B /><Button /></FlagsProvider>)
    renders.reset()

    act(() => source.push(config('r2', { b: { enabled: true, rules: [{ serve: 'on' }] } })))
    expect(screen.getByText('b=true')).toBeTruthy()
    expect([renders.get('A'), renders.get('B'), renders.get('Button')]).toEqual([0, 1, 0])

    act(() => source.push(config('r3', { b: { enabled: true, rules: [{ serve: 'on' }] } }))) // same values, new revision
    expect([renders.get('A'), renders.get('B'), renders.get('Button')]).toEqual([0, 1, 0])
  })
})

describe('useVariant', () => {
  it('returns the variant name and value', () => {
    const { client } = setup()
    const A = () => { const v = useVariant('button'); return <p>{v.name}:{String(v.value)}</p> }
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    expect(screen.getByText('treatment:green')).toBeTruthy()
  })

  it('returns an undefined name and value for an unknown flag', () => {
    const { client } = setup()
    const A = () => { const v = useVariant('nope'); return <p>{String(v.name)}:{String(v.value)}</p> }
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    expect(screen.getByText('undefined:undefined')).toBeTruthy()
  })

  it('keeps the same object while name and value are unchanged, across renders and configs', () => {
    const { client, source } = setup()
    const seen: FlagVariant[] = []
    const A = ({ n }: { n: number }) => { seen.push(useVariant('limits')); return <p>{n}</p> }
    const { rerender } = render(<FlagsProvider client={client}><A n={1} /></FlagsProvider>)
    rerender(<FlagsProvider client={client}><A n={2} /></FlagsProvider>)
    act(() => source.push(config('r2'))) // equal JSON values in a new config object
    act(() => client.setContext({ email: 'me@example.com' })) // changes `beta`, not `limits`
    expect(seen.length).toBeGreaterThanOrEqual(2)
    for (const v of seen) expect(v).toBe(seen[0])
    expect(seen[0]).toEqual({ name: 'on', value: { max: 10 } })
  })

  it('returns a new object when the variant changes', () => {
    const { client, source } = setup()
    const seen: FlagVariant[] = []
    const A = () => { const v = useVariant('button'); seen.push(v); return <p>{String(v.value)}</p> }
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    act(() => source.push(config('r2', { button: { enabled: false, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' } })))
    expect(screen.getByText('blue')).toBeTruthy()
    expect(seen.at(-1)).not.toBe(seen[0])
    expect(seen.at(-1)).toEqual({ name: 'control', value: 'blue' })
  })
})

describe('useValue', () => {
  it('returns the value, or the fallback for an unknown flag or another type', () => {
    const { client } = setup()
    const A = () => <p>{useValue('button', 'grey')},{useValue('nope', 'grey')},{useValue('button', 0)}</p>
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    expect(screen.getByText('green,grey,0')).toBeTruthy()
  })

  it('keeps JSON values referentially stable while their content is unchanged', () => {
    const { client, source } = setup()
    const seen: unknown[] = []
    const A = () => { seen.push(useValue('limits', { max: 0 })); return null }
    render(<FlagsProvider client={client}><A /></FlagsProvider>)
    act(() => source.push(config('r2')))
    act(() => client.setContext({ userId: 'u-2' }))
    for (const v of seen) expect(v).toBe(seen[0])
    expect(seen[0]).toEqual({ max: 10 })
  })

  it('keeps an inline fallback object stable across renders', () => {
    const { client } = setup()
    const seen: unknown[] = []
    const A = ({ n }: { n: number }) => { seen.push(useValue('nope', { max: 0 })); return <p>{n}</p> }
    const { rerender } = render(<FlagsProvider client={client}><A n={1} /></FlagsProvider>)
    rerender(<FlagsProvider client={client}><A n={2} /></FlagsProvider>)
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
  })
})
