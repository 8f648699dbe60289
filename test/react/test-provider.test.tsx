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

describe('<TestFlagsProvider> with the real config', () => {
  const config = {
    schemaVersion: 1,
    flags: {
      'checkout-button': { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control' },
      'new-checkout': { enabled: true },
    },
  } as const
  const Button = () => <p>variant={useVariant('checkout-button').name} enabled={String(useFlag('checkout-button'))}</p>

  it('serves a value under the variant the config gives it', () => {
    render(
      <TestFlagsProvider config={config} flags={{ 'checkout-button': 'green', 'new-checkout': true }}>
        <Button />
        <Feature flag="checkout-button" variant="treatment"><p>treatment</p></Feature>
        <Feature flag="new-checkout" variant="on"><p>new checkout</p></Feature>
      </TestFlagsProvider>,
    )
    expect(screen.getByText('variant=treatment enabled=true')).toBeTruthy()
    expect(screen.getByText('treatment')).toBeTruthy()
    expect(screen.getByText('new checkout')).toBeTruthy()
  })

  it('treats the offVariant as disabled', () => {
    render(<TestFlagsProvider config={config} flags={{ 'checkout-button': 'blue' }}><Button /></TestFlagsProvider>)
    expect(screen.getByText('variant=control enabled=false')).toBeTruthy()
  })

  it('takes variant names explicitly', () => {
    render(
      <TestFlagsProvider flags={{ 'checkout-button': 'green' }} variants={{ 'checkout-button': 'treatment' }}>
        <Button />
      </TestFlagsProvider>,
    )
    expect(screen.getByText('variant=treatment enabled=true')).toBeTruthy()
  })
})
