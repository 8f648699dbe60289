import { closestName, configProblems } from 'flagstage'
import type { FlagstageError } from 'flagstage'

/** One problem in a config, for people and for CI (`--json`). */
export interface Problem {
  /** JSON path, as in `FlagstageError.path` (`''` for the root). */
  path: string
  /** What is wrong, without the path. */
  message: string
  /** When the value had to be one of a list: the accepted names. */
  expected?: string[]
  /** The value found. */
  got?: unknown
  /** The accepted name closest to what was found. */
  suggestion?: string
  line?: number
  column?: number
}

/** Expected names and the value found, from the error's details or, failing those, its wording. */
const namesOf = (error: FlagstageError): { expected?: string[]; got?: unknown } => {
  const details = (error as { details?: { expected?: readonly string[]; got?: unknown } }).details
  if (details?.expected) return { expected: [...details.expected], got: details.got }
  const m = /(?:unexpected key ("(?:[^"\\]|\\.)*") \(expected one of (.*)\)|expected one of (.*), got ("(?:[^"\\]|\\.)*"))$/.exec(error.message)
  if (!m) return {}
  const list = (m[2] ?? m[3])!.split(', ').filter((s) => s !== '...')
  return { expected: list, got: JSON.parse((m[1] ?? m[4])!) }
}

const toProblem = (error: FlagstageError): Problem => {
  const path = error.path ?? ''
  const message = path && error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message
  const problem: Problem = { path, message }
  const { expected, got } = namesOf(error)
  if (expected) {
    problem.expected = expected
    problem.got = got
    const hint = typeof got === 'string' ? closestName(got, expected) : undefined
    if (hint) problem.suggestion = hint
  }
  return problem
}

/** Every problem of a document, with its path and "did you mean", in the validator's order (core's `configProblems`). */
export const findProblems = (document: unknown): Problem[] => configProblems(document).map(toProblem)
