import { ErrorCode, FlagstageError } from 'flagstage'

/** A JSON path in the flagstage style: `flags["my-flag"].targeting.if[2]`. */
export type Path = (string | number)[]

export const formatPath = (path: Path): string =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? (i ? `.${k}` : k) : `[${JSON.stringify(k)}]`)).join('')

/** The typed error for JsonLogic (or a definition) flagstage cannot translate. */
export const unsupported = (path: Path, what: string): never => {
  throw new FlagstageError(ErrorCode.UNSUPPORTED, what, { path: formatPath(path) })
}
