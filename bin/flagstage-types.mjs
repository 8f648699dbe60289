#!/usr/bin/env node
// Kept for existing scripts: `flagstage-types flags.json [TypeName]` is `flagstage types flags.json --name TypeName`.
import { main } from '../dist/cli/main.js'

// `flagstage diff a.json b.json | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error) => (error.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : Promise.reject(error)))
process.exitCode = await main(['types', ...process.argv.slice(2)])
