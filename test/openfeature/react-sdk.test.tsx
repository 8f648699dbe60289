// @vitest-environment happy-dom
import { OpenFeature, OpenFeatureProvider, useBooleanFlagValue, useFlag, useStringFlagDetails } from '@openfeature/react-sdk'
import { act, render, screen } from '@testing-library/react'
import { FlagstageWebProvider } from 'flagstage/openfeature'
import { afterEach, describe, expect, it } from 'vitest'
import { manualSource } from '../helpers/manual-source.ts'
import { config, edited } from './fixtures.ts'

afterEach(async () => {
  await OpenFeature.close()
})

const Banner = () => {
  const beta = useBooleanFlagValue('beta', false)
  const color = useStringFlagDetails('color', 'none')
  const { value: limit } = useFlag('limit', 0)
  return <p>beta={String(beta)} color={color.value}/{color.reason} limit={limit}</p>
}

describe('@openfeature/react-sdk with FlagstageWebProvider', () => {
  it('renders flagstage evaluations and re-renders on config and context changes', async () => {
    const manual = manualSource()
    await OpenFeature.setContext('react', { targetingKey: 'u-1', email: 'a@other.org' })
    const provider = new FlagstageWebProvider({ source: manual.source, bootstrap: config })
    await OpenFeature.setProviderAndWait('react', provider)
    render(<OpenFeatureProvider domain="react"><Banner /></OpenFeatureProvider>)
    const color = provider.client.explain('color').value
    expect(screen.getByText(`beta=false color=${color}/SPLIT limit=10`)).toBeTruthy()

    // A new config from the source: beta now serves everyone.
    await act(async () => manual.push(edited))
    expect(screen.getByText(`beta=true color=${color}/SPLIT limit=10`)).toBeTruthy()

    // A context change re-evaluates locally.
    await act(async () => {
      await OpenFeature.setContext('react', { targetingKey: 'u-1', plan: 'pro' })
    })
    expect(screen.getByText(`beta=true color=${color}/SPLIT limit=100.5`)).toBeTruthy()
    expect(manual.starts).toBe(1)
  })
})
