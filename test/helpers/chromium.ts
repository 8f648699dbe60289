// One way to start Debian's Chromium for the e2e suites (playwright-core, never its own downloaded browser).
// CHROMIUM is undefined where chromium is not installed, for `describe.skipIf(!CHROMIUM)`; under CI a missing
// chromium throws when this module loads (requireTool), so the suite fails instead of skipping.
//
//   import { CHROMIUM, launchChromium } from '../helpers/chromium.ts'
//   describe.skipIf(!CHROMIUM)('... in Chromium', () => { beforeAll(async () => { browser = await launchChromium() }) })
import { chromium, type Browser } from 'playwright-core'
import { requireTool } from './requires.ts'

/** Where chromium is, or undefined (outside CI only). */
export const CHROMIUM: string | undefined = requireTool('chromium')

// No --user-data-dir: playwright refuses it and gives every launch a fresh temporary profile.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** A headless Chromium; throws when chromium is missing (call it inside a suite skipped without CHROMIUM). */
export const launchChromium = (): Promise<Browser> => {
  if (!CHROMIUM) throw new Error('chromium is not installed: skip the suite with describe.skipIf(!CHROMIUM)')
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
}
