import { http, mapSource } from 'flagstage'
import type { HttpOptions, Source } from 'flagstage'
import { fromFlagd } from './translate.ts'
import type { FlagdDefinitions, FromFlagdOptions } from './types.ts'

/** Options of `flagd()`: `fromFlagd`'s, plus `http()`'s when given a URL. */
export interface FlagdSourceOptions extends FromFlagdOptions, HttpOptions {}

/**
 * A source of flagd flag definitions, translated by `fromFlagd`: from a URL (polled by `http()`,
 * with ETag / 304), or from any other source, such as a file watched by `file()` from
 * `flagstage/node`. Definitions that cannot be translated are reported (UNSUPPORTED, with the JSON
 * path) and the last good config stays in force.
 * @example
 * createClient({ source: flagd('https://config.example.com/flags.flagd.json') })
 * createClient({ source: flagd(file('./flags.flagd.json', { watch: true })) }) // file from 'flagstage/node'
 */
/* @__NO_SIDE_EFFECTS__ */
export function flagd(from: string | Source, options: FlagdSourceOptions = {}): Source {
  const { fractional, ...rest } = options
  const source = typeof from === 'string' ? http(from, rest) : from
  return mapSource(source, (document) => fromFlagd(document as FlagdDefinitions, fractional ? { fractional } : {}))
}
