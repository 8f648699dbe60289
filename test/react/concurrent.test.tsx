// @vitest-environment happy-dom
import { act } from '@testing-library/react'
import { createClient } from 'flagstage'
import { FlagsProvider, useFlag } from 'flagstage/react'
import { startTransition } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { config, manualSource } from './helpers.tsx'

describe('concurrent rendering', () => {
  // A useState + useEffect binding commits the torn list here (checked by swapping one in).
  it('never commits two values of one flag when the config changes mid-render (no tearing)', async () => {
    const source = manualSource()
    const client = createClient({ bootstrap: config('r1'), source: source.source })
    let changeAt = 5
    const Item = ({ i }: { i: number }) => {
      const a = useFlag('a')
      if (i === changeAt) {
        changeAt = -1
        source.push(config('r2', { a: { enabled: false } })) // the store moves under React's feet
      }
      return <li>{String(a)}</li>
    }
    const container = document.createElement('div')
    const root = createRoot(container)
    await act(async () =>
      startTransition(() =>
        root.render(
          <FlagsProvider client={client}>
            <ul>{Array.from({ length: 20 }, (_, i) => <Item key={i} i={i} />)}</ul>
          </FlagsProvider>,
        ),
      ),
    )
    const values = [...container.querySelectorAll('li')].map((li) => li.textContent)
    expect(values).toEqual(Array(20).fill('false'))
    act(() => root.unmount())
  })
})
