// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bucketOf, createClient, FlagstageError, getOverrides, type Client } from 'flagstage'
import { mountDevtools } from 'flagstage/devtools'
import { manualSource } from '../helpers/manual-source.ts'
import { config } from './fixtures.ts'

const NOW = Date.parse('2026-12-06T00:00:00Z') // the ramp of search-v2 is half way
const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve))

const shadow = (): ShadowRoot => {
  const host = document.querySelector('[data-flagstage-devtools]')
  if (!host?.shadowRoot) throw new Error('devtools not mounted')
  return host.shadowRoot
}
const $ = <E extends Element = HTMLElement>(selector: string): E => {
  const el = shadow().querySelector<E>(selector)
  if (!el) throw new Error(`no ${selector}`)
  return el
}
const row = (key: string): HTMLElement => $(`li.row[data-key="${key}"]`)
const toggle = (): HTMLButtonElement => $('button.toggle')
const open = () => toggle().click()
const select = (key: string): HTMLSelectElement => $(`select[aria-label="${key}"]`)
const choose = (key: string, variant: string) => {
  const s = select(key)
  s.value = variant
  s.dispatchEvent(new Event('change'))
}

let client: Client
let unmount: (() => void) | undefined
const make = (context = { userId: 'u-7', country: 'FR' }, more: Parameters<typeof createClient>[0] = {}) =>
  createClient({ bootstrap: config, context, now: () => NOW, ...more })

beforeEach(() => {
  localStorage.clear()
  client = make()
})
afterEach(() => {
  unmount?.()
  unmount = undefined
  client.close()
  localStorage.clear()
})

describe('mountDevtools', () => {
  it('mounts one host element with an open shadow root and a toggle button named for flags; unmount removes everything', () => {
    const before = document.body.innerHTML
    const globals = Object.keys(window).length
    unmount = mountDevtools(client)
    const hosts = document.querySelectorAll('[data-flagstage-devtools]')
    expect(hosts).toHaveLength(1)
    expect(document.head.querySelectorAll('style')).toHaveLength(0) // styles live in the shadow root only
    expect(shadow().querySelector('style')?.textContent).toContain(':host')
    expect(toggle().textContent).toMatch(/flag/i)
    expect(toggle().getAttribute('aria-expanded')).toBe('false')
    expect($('section.panel').hidden).toBe(true)
    unmount()
    unmount = undefined
    expect(document.body.innerHTML).toBe(before)
    expect(Object.keys(window).length).toBe(globals)
  })

  it('lists every flag with its value, variant and reason when opened', () => {
    unmount = mountDevtools(client)
    open()
    expect(toggle().getAttribute('aria-expanded')).toBe('true')
    const keys = [...shadow().querySelectorAll('li.row')].map((li) => li.getAttribute('data-key'))
    expect(keys).toEqual(Object.keys(config.flags))
    for (const key of keys) {
      const x = client.explain(key!)
      expect(row(key!).querySelector('.value')?.textContent).toBe(JSON.stringify(x.value))
      expect(row(key!).querySelector('.variant')?.textContent).toBe(x.variant)
      expect(row(key!).querySelector('.reason')?.textContent).toBe(x.reason)
    }
    expect(row('old-search').querySelector('.reason')?.textContent).toBe('DISABLED')
    expect($('.status').textContent).toBe('ready')
    expect($('.revision').textContent).toBe('revision r1')
  })

  it('explains a rollout: the unit, its bucket against the threshold', () => {
    unmount = mountDevtools(client, { open: true })
    row('new-checkout').querySelector<HTMLButtonElement>('button.expand')!.click()
    const b = bucketOf('new-checkout', 'u-7')
    const text = row('new-checkout').querySelector('.explain')!.textContent!
    expect(row('new-checkout').querySelector('button.expand')!.getAttribute('aria-expanded')).toBe('true')
    expect(text).toContain('rollout 25% of userId')
    expect(text).toContain(b < 2500 ? `bucket ${b} < 2500 (25%)` : `bucket ${b} ≥ 2500 (25%): outside the rollout`)
    expect(text).toContain(b < 2500 ? 'Rule 1 served "on"' : 'No rule served: offVariant "off"')
  })

  it('explains a targeting rule: the failed condition with the context value, then the rule that matched', () => {
    client.setContext({ userId: 'u-7', country: 'CA' })
    unmount = mountDevtools(client, { open: true })
    row('beta-banner').querySelector<HTMLButtonElement>('button.expand')!.click()
    const rules = [...row('beta-banner').querySelectorAll('li.rule')]
    expect(rules.map((r) => r.getAttribute('data-outcome'))).toEqual(['no-match', 'served', 'not-reached'])
    expect(rules[0]!.textContent).toContain('email endsWith "@example.com": the context has no email')
    expect(rules[1]!.textContent).toContain('if country in "US", "CA"')
    expect(row('beta-banner').querySelector('.decided')!.textContent).toBe('Rule 2 served "on".')
    expect(row('beta-banner').querySelector('.reason')!.textContent).toBe('TARGETING_MATCH')
  })

  it('shows schedule and ramp state with the next boundary', () => {
    unmount = mountDevtools(client, { open: true })
    row('winter-sale').querySelector<HTMLButtonElement>('button.expand')!.click()
    row('search-v2').querySelector<HTMLButtonElement>('button.expand')!.click()
    expect(row('winter-sale').querySelector('.schedule')!.textContent).toBe(
      'Schedule: off until 2026-12-20T00:00:00.000Z (in 14 days), then on until 2027-01-05T00:00:00.000Z (in 30 days)')
    expect(row('winter-sale').querySelector('.next')!.textContent).toBe('Next boundary: 2026-12-20T00:00:00.000Z (in 14 days)')
    expect(row('search-v2').querySelector('.ramp')!.textContent).toBe('Ramping: 50% now, 100% at 2026-12-11T00:00:00.000Z (in 5 days)')
    expect(row('search-v2').querySelector('.next')!.textContent).toContain('2026-12-11T00:00:00.000Z')
  })

  it('filters rows by key', () => {
    unmount = mountDevtools(client, { open: true })
    const search = $<HTMLInputElement>('input[type="search"]')
    search.value = 'CHECKOUT'
    search.dispatchEvent(new Event('input'))
    expect([...shadow().querySelectorAll('li.row')].map((li) => li.getAttribute('data-key'))).toEqual(['new-checkout', 'checkout-button'])
    search.value = 'nothing-like-it'
    search.dispatchEvent(new Event('input'))
    expect(shadow().querySelectorAll('li.row')).toHaveLength(0)
    expect($('.note').textContent).toBe('No flag matches the filter.')
  })

  it('overrides a flag with a select labelled by its key: applied at once, marked, remembered, re-applied, cleared', async () => {
    unmount = mountDevtools(client)
    open()
    const s = select('checkout-button')
    expect([...s.options].map((o) => o.textContent)).toEqual(['no override', 'control', 'treatment'])
    const changes: string[][] = []
    client.on('change', ({ keys }) => changes.push(keys))
    const other = client.variant('checkout-button').name === 'treatment' ? 'control' : 'treatment'
    choose('checkout-button', other)
    expect(client.variant('checkout-button').name).toBe(other)
    expect(changes).toEqual([['checkout-button']])
    expect(localStorage.getItem('flagstage:overrides')).toBe(`checkout-button:${other}`)
    await flush()
    expect(row('checkout-button').getAttribute('data-overridden')).toBe('true')
    expect(row('checkout-button').querySelector('.reason')!.textContent).toBe('STATIC')
    expect(toggle().textContent).toContain('1 overridden')
    // the next page load: a new client, the devtools re-apply it
    unmount()
    client.close()
    client = make()
    unmount = mountDevtools(client)
    expect(getOverrides(client)).toEqual({ 'checkout-button': other })
    expect(select('checkout-button').value).toBe(other)
    expect($('section.panel').hidden).toBe(false) // the open state was remembered
    $<HTMLButtonElement>('button.clear').click()
    expect(getOverrides(client)).toEqual({})
    expect(localStorage.getItem('flagstage:overrides')).toBeNull()
    await flush()
    expect(row('checkout-button').hasAttribute('data-overridden')).toBe(false)
    expect(select('checkout-button').value).toBe('')
  })

  it('"no override" removes one override and keeps the others', () => {
    unmount = mountDevtools(client, { open: true })
    choose('new-checkout', 'on')
    choose('old-search', 'on')
    choose('new-checkout', '')
    expect(getOverrides(client)).toEqual({ 'old-search': 'on' })
    expect(client.isEnabled('old-search')).toBe(true)
  })

  it('follows config and status changes live', async () => {
    const m = manualSource()
    client.close()
    client = createClient({ source: m.source, context: { userId: 'u-7' }, now: () => NOW })
    unmount = mountDevtools(client, { open: true })
    expect($('.status').textContent).toBe('loading')
    m.push(config)
    await flush()
    expect($('.status').textContent).toBe('ready')
    expect(shadow().querySelectorAll('li.row')).toHaveLength(6)
    m.push({ ...config, revision: 'r2', flags: { ...config.flags, 'old-search': { enabled: true, rules: [{ serve: 'on' }] } } })
    await flush()
    expect($('.revision').textContent).toBe('revision r2')
    expect(row('old-search').querySelector('.value')!.textContent).toBe('true')
    client.on('error', () => {})
    m.fail(new FlagstageError('HTTP_ERROR', 'GET /flags.json answered 503'))
    await flush()
    expect($('.status').textContent).toBe('stale')
    expect($('.error').hidden).toBe(false)
    expect($('.error').textContent).toBe('Last error: HTTP_ERROR: GET /flags.json answered 503')
  })

  it('edits the context as JSON, marks it as a local change, and restores the app\'s', async () => {
    unmount = mountDevtools(client, { open: true })
    const area = $<HTMLTextAreaElement>('textarea')
    expect(JSON.parse(area.value)).toEqual({ userId: 'u-7', country: 'FR' })
    area.value = '[1'
    area.dispatchEvent(new Event('input'))
    $<HTMLButtonElement>('button.apply').click()
    expect($('.context-error').hidden).toBe(false)
    expect(client.getContext()).toEqual({ userId: 'u-7', country: 'FR' })
    area.value = '{ "userId": "u-7", "email": "qa@example.com" }'
    $<HTMLButtonElement>('button.apply').click()
    expect(client.getContext()).toEqual({ userId: 'u-7', email: 'qa@example.com' })
    await flush()
    expect($('.context-error').hidden).toBe(true)
    expect($('.local').hidden).toBe(false)
    expect(row('beta-banner').querySelector('.reason')!.textContent).toBe('TARGETING_MATCH')
    $<HTMLButtonElement>('button.reset').click()
    expect(client.getContext()).toEqual({ userId: 'u-7', country: 'FR' })
    await flush()
    expect($('.local').hidden).toBe(true)
  })

  it('remembers its position and open state; Escape closes it and returns focus to the toggle', () => {
    unmount = mountDevtools(client, { position: 'top-left' })
    expect($('.root').getAttribute('data-position')).toBe('top-left')
    open()
    $<HTMLButtonElement>('button.move').click()
    expect($('.root').getAttribute('data-position')).toBe('top-right')
    unmount()
    unmount = mountDevtools(client)
    expect($('.root').getAttribute('data-position')).toBe('top-right')
    expect($('section.panel').hidden).toBe(false)
    $('input[type="search"]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }))
    expect($('section.panel').hidden).toBe(true)
    expect(shadow().activeElement).toBe(toggle())
  })

  it('persist: false leaves storage alone', () => {
    unmount = mountDevtools(client, { open: true, persist: false })
    choose('new-checkout', 'on')
    $<HTMLButtonElement>('button.move').click()
    expect(client.isEnabled('new-checkout')).toBe(true)
    expect(localStorage.length).toBe(0)
  })

  it('writes the overrides to a cookie when asked', () => {
    unmount = mountDevtools(client, { open: true, cookie: true })
    choose('new-checkout', 'on')
    expect(document.cookie).toContain(`flagstage-overrides=${encodeURIComponent('new-checkout:on')}`)
    $<HTMLButtonElement>('button.clear').click()
    expect(document.cookie).not.toContain('flagstage-overrides=new')
  })

  it('lists the flags of an evaluated snapshot, without overrides or rules', () => {
    client.close()
    client = createClient({ bootstrap: { evaluated: true, revision: 's1', flags: { 'new-checkout': { variant: 'on', value: true, enabled: true } } } })
    unmount = mountDevtools(client, { open: true })
    expect(row('new-checkout').querySelector('.value')!.textContent).toBe('true')
    expect(select('new-checkout').disabled).toBe(true)
    row('new-checkout').querySelector<HTMLButtonElement>('button.expand')!.click()
    expect(row('new-checkout').querySelector('.decided')!.textContent).toBe('From an evaluated snapshot: no rules to show.')
    expect($('.revision').textContent).toBe('revision s1')
  })
})
