// Public entry of 'flagstage/flagd': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage'.

export { flagdContext } from './context.ts'
export { flagd } from './source.ts'
export { fromFlagd } from './translate.ts'

export type { FlagdSourceOptions } from './source.ts'
export type { FlagdDefinitions, FlagdFlag, FromFlagdOptions } from './types.ts'
