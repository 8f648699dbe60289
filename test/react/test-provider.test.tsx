// @vitest-environment happy-dom
import { render, screen } from '@testing-library/react'
import { Feature, TestFlagsProvider, useFlag, useFlagsStatus, useValue, useVariant } from 'flagstage/react'
import { describe, expect, it } from 'vitest'

const Page = () => {
  const v = useVariant('b')
  return (
    <p>
      a={String(useFlag('a'))} off={String(useFlag('off'))} b={v.name}/{String(v.value)} n={useValue('n', 0)} missing={String(useFlag('missing'))}{' '}
      status={useFlagsStatus().state}
    </p>
  )
}

describe('<TestFlagsProvider>', () => {
  it('serves the flags it is given to hooks and <Feature>', () => {
    render(
      <TestFlagsProvider flags={{ a: true, off: false, b: 'variant-x', n: 3 }}>
        <Page />
        <Feature flag="a"><p>feature a</p></Feature>
        <Feature flag="b" variant="variant-x"><p>feature b</p></Feature>
      </TestFlagsProvider>,
    )
    expect(screen.getByText('a=true off=false b=variant-x/variant-x n=3 missing=false status=ready')).toBeTruthy()
    expect(screen.getByText('feature a')).toBeTruthy()
    expect(screen.getByText('feature b')).toBeTruthy()
  })

  it('re-renders with new values when the flags prop changes', () => {
    const { rerender } = render(<TestFlagsProvider flags={{ a: true }}><Page /></TestFlagsProvider>)
    rerender(<TestFlagsProvider flags={{ a: false, b: 'y' }}><Page /></TestFlagsProvider>)
    expect(screen.getByText(/a=false off=false b=y\/y/)).toBeTruthy()
  })

  // Its typing (TestFlagsProvider<AppFlags> rejects a value outside the type) is a compile-time contract:
  // test/types/react.test-d.ts checks it, where a wrong expectation fails the typecheck.
})
