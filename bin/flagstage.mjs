#!/usr/bin/env node
// The flagstage command: validate, explain, rollout, diff, types. `flagstage --help` lists them.
import { main } from '../dist/cli/main.js'

// `flagstage diff a.json b.json | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error) => (error.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : Promise.reject(error)))
process.exitCode = await main(process.argv.slice(2))
