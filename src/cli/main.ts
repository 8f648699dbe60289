import { readFileSync } from 'node:fs'
import { closestName } from 'flagstage'
import { UsageError } from './args.ts'
import { COMMANDS } from './commands.ts'
import { EXIT, nodeIo, type Io } from './io.ts'
import { InputError } from './load.ts'
import { red } from './style.ts'

const overview = (): string => {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: flagstage <command> [options]

${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run flagstage <command> --help for a command's options and exit codes.
Every command reads strict JSON; errors go to stderr; colour only on a terminal (NO_COLOR turns it off).
`
}

/**
 * Run the `flagstage` command line: `argv` without node and the script. Returns the exit code:
 * 0 success, 1 the answer is no (invalid config, changes found), 2 bad arguments (and invalid input for diff).
 */
export const main = async (argv: readonly string[], io: Io = nodeIo()): Promise<number> => {
  let args = argv.filter((a) => a !== '--no-color' && a !== '--color')
  if (argv.includes('--no-color')) io = { ...io, color: false }
  else if (argv.includes('--color')) io = { ...io, color: true }
  const [name, ...rest] = args
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined
    ;(name === undefined ? io.err : io.out)(topic ? topic.help : overview())
    return name === undefined ? EXIT.USAGE : EXIT.OK
  }
  if (name === '--version' || name === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    io.out(`flagstage ${pkg.version}\n`)
    return EXIT.OK
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    const hint = closestName(name, COMMANDS.map((c) => c.name))
    io.err(`flagstage: unknown command ${JSON.stringify(name)}${hint ? ` (did you mean ${hint}?)` : ''}\n\n${overview()}`)
    return EXIT.USAGE
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help)
    return EXIT.OK
  }
  args = rest
  try {
    return await command.run(args, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`flagstage ${name}: ${error.message}\n\n${command.help}`)
      return EXIT.USAGE
    }
    if (error instanceof InputError) {
      io.err(`${red(io.color, 'flagstage ' + name)}: ${error.message}\n`)
      return EXIT.FAIL
    }
    throw error
  }
}
