import type { Config, FlagConfig, JsonValue } from 'flagstage'
import type { Scope } from './conditions.ts'
import { unsupported, type Path } from './path.ts'
import { translateTargeting } from './targeting.ts'
import type { FlagdDefinitions, FlagdFlag, FromFlagdOptions } from './types.ts'

const isObj = (v: unknown): v is Record<string, JsonValue> => typeof v === 'object' && v !== null && !Array.isArray(v)

const translateFlag = (key: string, flag: FlagdFlag, evaluators: Record<string, JsonValue>, options: FromFlagdOptions): FlagConfig => {
  const path: Path = ['flags', key]
  if (!isObj(flag)) return unsupported(path, 'expected a flag object')
  if (flag.state !== 'ENABLED' && flag.state !== 'DISABLED') return unsupported([...path, 'state'], 'expected "ENABLED" or "DISABLED"')
  if (!isObj(flag.variants) || !Object.keys(flag.variants).length) return unsupported([...path, 'variants'], 'expected at least one variant')
  const fallback = flag.defaultVariant ?? null
  if (fallback !== null && (typeof fallback !== 'string' || !Object.hasOwn(flag.variants, fallback))) {
    return unsupported([...path, 'defaultVariant'], 'must name a variant (or be null for the caller\'s default)')
  }
  // A disabled flag gives the caller its default (reason DISABLED), whatever defaultVariant says.
  const out: FlagConfig = { enabled: flag.state === 'ENABLED', variants: flag.variants, offVariant: flag.state === 'DISABLED' ? null : fallback }
  const targeting = flag.targeting
  const hasTargeting = isObj(targeting) && Object.keys(targeting).length > 0
  if (!hasTargeting) {
    if (targeting !== undefined && targeting !== null && !isObj(targeting)) return unsupported([...path, 'targeting'], 'expected a JsonLogic object')
    if (fallback !== null && out.enabled) out.rules = [{ serve: fallback }] // flagd: STATIC
    return out
  }
  const scope: Scope = {
    flagKey: key,
    ref: (name, at) =>
      typeof name === 'string' && Object.hasOwn(evaluators, name) ? evaluators[name]!
        : unsupported(at, `$ref to an unknown evaluator ${JSON.stringify(name)}`),
  }
  const { rules, served } = translateTargeting(targeting, scope, options.fractional ?? 'v2', [...path, 'targeting'])
  for (const s of served) {
    if (!Object.hasOwn(flag.variants, s.name)) unsupported(s.path, `targeting serves "${s.name}", which is not a variant (flagd reports an error there)`)
  }
  if (out.enabled) out.rules = rules
  return out
}

/**
 * Translate flagd flag definitions (`{ flags, $evaluators, metadata }`) into a flagstage config
 * that evaluates as flagd does: `state`, `variants`, `defaultVariant` (null or absent: the caller's
 * default), and `targeting` in JsonLogic, with `if`, `and` / `or` / `!`, `==` `===` `!=` `!==`,
 * `<` `<=` `>` `>=` (also `a < x < b`), `in`, flagd's `starts_with`, `ends_with`, `sem_ver` and
 * `fractional` (v2 bucketing by default, v1 on request), `$flagd.flagKey` and `$ref`s to
 * `$evaluators`. JsonLogic is read as data (never run) down to 32 levels. Flag and set `metadata`
 * are kept in the config's `meta.flagd`.
 * @throws {FlagstageError} UNSUPPORTED, with the JSON path, for JsonLogic outside that subset
 * (`var` defaults, `$flagd.timestamp`, computed variants, arithmetic ...) or a definition flagd
 * itself would reject.
 * @example
 * const config = fromFlagd(JSON.parse(readFileSync('flags.flagd.json', 'utf8')))
 */
export const fromFlagd = (definitions: FlagdDefinitions, options: FromFlagdOptions = {}): Config => {
  if (!isObj(definitions) || !isObj(definitions.flags)) return unsupported(['flags'], 'expected flagd flag definitions ({ "flags": { ... } })')
  const evaluators = isObj(definitions.$evaluators) ? definitions.$evaluators : {}
  const config: Config = { schemaVersion: 1, flags: {} }
  const meta: Record<string, JsonValue> = {}
  for (const key of Object.keys(definitions.flags)) {
    const flag = definitions.flags[key]!
    Object.defineProperty(config.flags, key, { value: translateFlag(key, flag, evaluators, options), enumerable: true, writable: true, configurable: true })
    if (isObj(flag.metadata)) Object.defineProperty(meta, key, { value: flag.metadata, enumerable: true, writable: true, configurable: true })
  }
  if (Object.keys(meta).length || isObj(definitions.metadata)) {
    config.meta = { flagd: { flags: meta, ...(isObj(definitions.metadata) ? { metadata: definitions.metadata } : {}) } }
  }
  return config
}
