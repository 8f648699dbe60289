// @vitest-environment happy-dom
import { act, render, screen } from '@testing-library/react'
import { createClient, FlagstageError } from 'flagstage'
import type { SnapshotEntry, Status } from 'flagstage'
import { FlagsProvider, useFlags, useFlagsStatus } from 'flagstage/react'
import { describe, expect, it } from 'vitest'
import { config, counter, manualSource, tick } from './helpers.tsx'

describe('useFlags', () => {
  it('returns every flag evaluated for the context', () => {
    const client = createClient({ bootstrap: config() })
    let flags: Record<string, SnapshotEntry> = {}
    const All = () => { flags = useFlags(); return null }
    render(<FlagsProvider client={client}><All /></FlagsProvider>)
    expect(flags.a).toEqual({ variant: 'on', value: true, enabled: true })
    expect(flags.button).toEqual({ variant: 'treatment', value: 'green', enabled: true })
    expect(Object.keys(flags).sort()).toEqual(['a', 'b', 'beta', 'button', 'limits'])
  })

  it('keeps the same object until some flag changes, then re-renders once', () => {
    const source = manualSource()
    const client = createClient({ bootstrap: config(), source: source.source })
    const renders = counter()
    const seen: object[] = []
    const All = () => { renders.hit('all'); seen.push(useFlags()); return null }
    render(<FlagsProvider client={client}><All /></FlagsProvider>)
    act(() => source.push(config('r2')))
    expect(renders.get('all')).toBe(1)
    act(() => source.push(config('r3', { a: { enabled: false } })))
    expect(renders.get('all')).toBe(2)
    expect(seen[1]).not.toBe(seen[0])
  })
})

describe('useFlagsStatus', () => {
  it('goes from loading to ready when the source answers', async () => {
    const source = manualSource()
    const client = createClient({ source: source.source })
    const states: Status['state'][] = []
    const Show = () => { const s = useFlagsStatus(); states.push(s.state); return <p>{s.state}:{String(s.revision)}</p> }
    render(<FlagsProvider client={client}><Show /></FlagsProvider>)
    expect(screen.getByText('loading:undefined')).toBeTruthy()
    await act(async () => { source.push(config('r7')); await tick() })
    expect(screen.getByText('ready:r7')).toBeTruthy()
  })

  it('reports a source error with the last good config kept (stale), then ready again', async () => {
    const source = manualSource()
    const client = createClient({ source: source.source })
    client.on('error', () => {})
    let status: Status | undefined
    const Show = () => { status = useFlagsStatus(); return <p>{status.state}</p> }
    render(<FlagsProvider client={client}><Show /></FlagsProvider>)
    await act(async () => { source.push(config('r1')); await tick() })
    await act(async () => { source.fail(new FlagstageError('NETWORK_ERROR', 'down')); await tick() })
    expect(screen.getByText('stale')).toBeTruthy()
    expect(status?.lastError?.code).toBe('NETWORK_ERROR')
    await act(async () => { source.push(config('r2')); await tick() })
    expect(screen.getByText('ready')).toBeTruthy()
    expect(status?.revision).toBe('r2')
    expect(status?.lastError).toBeUndefined()
  })

  it('recovers to ready when the source re-sends the same revision after an error', async () => {
    const source = manualSource()
    const client = createClient({ source: source.source })
    client.on('error', () => {})
    const Show = () => <p>{useFlagsStatus().state}</p>
    render(<FlagsProvider client={client}><Show /></FlagsProvider>)
    await act(async () => { source.push(config('r1')); await tick() })
    await act(async () => { source.fail(new FlagstageError('NETWORK_ERROR', 'down')); await tick() })
    expect(screen.getByText('stale')).toBeTruthy()
    await act(async () => { source.push(config('r1')); await tick() })
    expect(screen.getByText('ready')).toBeTruthy()
  })

  it('recovers to ready on a 304 after an error (core notifies subscribers on every status change)', async () => {
    const source = manualSource()
    const client = createClient({ source: source.source })
    client.on('error', () => {})
    const Show = () => <p>{useFlagsStatus().state}</p>
    render(<FlagsProvider client={client}><Show /></FlagsProvider>)
    await act(async () => { source.push(config('r1')); await tick() })
    await act(async () => { source.fail(new FlagstageError('NETWORK_ERROR', 'down')); await tick() })
    await act(async () => { source.push(undefined, { notModified: true }); await tick() })
    expect(client.status().state).toBe('ready')
    expect(screen.getByText('ready')).toBeTruthy()
  })

  it('returns the same object while the status is unchanged', async () => {
    const client = createClient({ bootstrap: config() })
    const seen: Status[] = []
    const Show = ({ n }: { n: number }) => { seen.push(useFlagsStatus()); return <p>{n}</p> }
    const { rerender } = render(<FlagsProvider client={client}><Show n={1} /></FlagsProvider>)
    await act(tick)
    rerender(<FlagsProvider client={client}><Show n={2} /></FlagsProvider>)
    expect(seen.at(-1)).toBe(seen.at(-2))
  })
})
