import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Installed version of `pkg` (read from node_modules, since not every package exports ./package.json). */
export const pkgVersion = (pkg) => {
  try {
    return JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', pkg, 'package.json'), 'utf8')).version
  } catch {
    return 'not installed'
  }
}
