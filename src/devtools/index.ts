// Public entry of 'flagstage/devtools': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage' (external in the build: one core instance).

export { mountDevtools } from './mount.ts'
export { OVERRIDE_COOKIE, overrideCookie, writeOverrideCookie } from './overrides.ts'

export type { DevtoolsOptions } from './mount.ts'
export type { OverrideCookieOptions } from './overrides.ts'
export type { Position } from './panel.ts'
