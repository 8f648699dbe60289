// Environment-gated suites: `requireTool('chromium')` returns where the tool is, or undefined when it is
// not installed, for `describe.skipIf(!chromium)`. Under CI (process.env.CI set, as .ci/run does) a missing
// tool throws instead: the test file fails to load and the run fails; CI never skips a gated suite silently.
//
//   const nginx = requireTool('nginx')
//   describe.skipIf(!nginx)('... behind nginx', () => { ... spawn(nginx!, ...) ... })
//
// Chromium suites use test/helpers/chromium.ts (CHROMIUM, launchChromium()), which calls requireTool('chromium').
//
// A new tool is one entry in TOOLS (and its Debian package in .ci/run's APT_PACKAGES, or its npm package
// in one of .ci/run's NPM_DIRS).
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Tool = 'chromium' | 'nginx' | 'nchan' | 'workerd' | 'deno' | 'bun' | 'tsc-5.4'

interface ToolSpec {
  /** Executable names looked up on PATH, in order. */
  names: string[]
  /** Absolute paths tried after PATH. */
  paths: string[]
  /** How to get it, for the error message. */
  install: string
}

const root = fileURLToPath(new URL('../../', import.meta.url))
const runtime = (name: string): ToolSpec => ({
  names: [name],
  paths: [join(root, 'test/runtimes/node_modules/.bin', name), join(root, 'node_modules/.bin', name)],
  install: `npm ci in test/runtimes (.ci/run NPM_DIRS) or put ${name} on PATH`,
})

const TOOLS: Record<Tool, ToolSpec> = {
  chromium: { names: ['chromium'], paths: [], install: 'apt-get install chromium (.ci/run APT_PACKAGES)' },
  // Debian puts nginx in /usr/sbin, which a non-root PATH often lacks.
  nginx: { names: ['nginx'], paths: ['/usr/sbin/nginx'], install: 'apt-get install nginx (.ci/run APT_PACKAGES)' },
  // A dynamic nginx module, not an executable: the path of the .so for `load_module`.
  nchan: { names: [], paths: ['/usr/lib/nginx/modules/ngx_nchan_module.so'], install: 'apt-get install libnginx-mod-nchan (.ci/run APT_PACKAGES)' },
  workerd: runtime('workerd'),
  deno: runtime('deno'),
  bun: runtime('bun'),
  // The oldest TypeScript the README supports, for test/types/consumers (the root's tsc is the newest).
  'tsc-5.4': { names: [], paths: [join(root, 'test/runtimes/node_modules/typescript/bin/tsc')], install: 'npm ci in test/runtimes (.ci/run NPM_DIRS)' },
}

const usable = (path: string, mode: number): boolean => {
  try {
    accessSync(path, mode)
    return true
  } catch {
    return false
  }
}

/** Where `tool` is installed (PATH first, then the spec's fixed paths), or undefined. */
export const findTool = (tool: Tool, env: NodeJS.ProcessEnv = process.env): string | undefined => {
  const spec = TOOLS[tool]
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    for (const name of spec.names) {
      const path = join(dir, name)
      if (usable(path, constants.X_OK)) return path
    }
  }
  const mode = spec.names.length > 0 ? constants.X_OK : constants.R_OK
  return spec.paths.find((path) => usable(path, mode))
}

/** True when CI is set to anything but '', 'false' or '0'. */
export const isCI = (env: NodeJS.ProcessEnv = process.env): boolean => !!env.CI && env.CI !== 'false' && env.CI !== '0'

/**
 * The tool's path, or undefined (skip the suite) where it is not installed; under CI a missing tool throws,
 * so the suite fails instead of skipping.
 */
export const requireTool = (tool: Tool, env: NodeJS.ProcessEnv = process.env): string | undefined => {
  const path = findTool(tool, env)
  if (path === undefined && isCI(env)) {
    throw new Error(`${tool} is required under CI=${env.CI} and was not found (PATH=${env.PATH ?? ''}); ${TOOLS[tool].install}`)
  }
  return path
}
