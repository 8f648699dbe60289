import { parseArgs, UsageError } from '../args.ts'
import { EXIT, type Io } from '../io.ts'
import { locate } from '../json.ts'
import { InputError, readJson } from '../load.ts'
import { findProblems, type Problem } from '../problems.ts'
import { bold, dim, green, red, yellow } from '../style.ts'

export const summary = 'check configs: every problem, with its JSON path and "did you mean"'

export const help = `Usage: flagstage validate <config.json>... [--json | --github]

Checks each config as every client does on load (schema and semantics: variants, segments,
prerequisites, cycles, split sums, dates) and lists every problem with its JSON path, line and
column, what was expected, and "did you mean" for near names. '-' reads standard input.

Options:
  --json     machine output: { valid, files: [{ file, valid, problems: [{ path, message, line,
             column, expected, got, suggestion }] }] }
  --github   GitHub Actions annotations (::error file=…,line=…,col=…::…)

Exit codes: 0 every config is valid, 1 a config has problems or cannot be read, 2 bad arguments.
`

interface FileReport {
  file: string
  valid: boolean
  problems: Problem[]
}

const check = (io: Io, file: string): FileReport => {
  let text: string
  let value: unknown
  try {
    ;({ text, value } = readJson(io, file))
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    const m = /line (\d+), column (\d+): (.*)$/.exec(error.message)
    const problem: Problem = m ? { path: '', message: `JSON syntax: ${m[3]}`, line: +m[1]!, column: +m[2]! } : { path: '', message: `cannot read: ${error.message.slice(file.length + 2)}` }
    return { file, valid: false, problems: [problem] }
  }
  const problems = findProblems(value)
  if (problems.length) {
    const at = locate(text)
    for (const p of problems) {
      // the path itself, or its nearest ancestor present in the text (a missing key points at its object)
      let path = p.path
      let position = at(path)
      while (!position && path) {
        path = path.replace(/(\.[A-Za-z_$][\w$]*|\[[^\]]*\])$/, '')
        position = at(path)
      }
      if (position) Object.assign(p, position)
    }
  }
  return { file, valid: problems.length === 0, problems }
}

const line = (io: Io, report: FileReport, p: Problem): string => {
  const where = `${report.file}${p.line ? `:${p.line}:${p.column}` : ''}`
  const hint = p.suggestion ? `; ${yellow(io.color, `did you mean ${JSON.stringify(p.suggestion)}?`)}` : ''
  return `  ${dim(io.color, where)} ${p.path ? `${bold(io.color, p.path)}: ` : ''}${p.message}${hint}\n`
}

export const run = (args: string[], io: Io): number => {
  const { positionals, options } = parseArgs(args, { json: 'boolean', github: 'boolean' })
  if (!positionals.length) throw new UsageError('name at least one config file')
  if (options.json && options.github) throw new UsageError('give --json or --github, not both')
  const reports = positionals.map((file) => check(io, file))
  const valid = reports.every((r) => r.valid)
  if (options.json) {
    io.out(`${JSON.stringify({ valid, files: reports }, null, 2)}\n`)
  } else if (options.github) {
    for (const r of reports) {
      for (const p of r.problems) {
        const where = [`file=${r.file}`, p.line ? `line=${p.line},col=${p.column}` : ''].filter(Boolean).join(',')
        const text = `${p.path ? `${p.path}: ` : ''}${p.message}${p.suggestion ? ` (did you mean "${p.suggestion}"?)` : ''}`
        io.out(`::error ${where},title=flagstage validate::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`)
      }
    }
  } else {
    for (const r of reports) {
      if (r.valid) {
        io.out(`${green(io.color, '✓')} ${r.file}\n`)
        continue
      }
      const n = r.problems.length
      io.err(`${red(io.color, '✗')} ${r.file}: ${n} problem${n === 1 ? '' : 's'}\n`)
      for (const p of r.problems) io.err(line(io, r, p))
    }
  }
  return valid ? EXIT.OK : EXIT.FAIL
}
