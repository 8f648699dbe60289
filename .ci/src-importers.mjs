#!/usr/bin/env node
// Lists the test files (under the directory given, default test/) that import src/ directly, or through a
// local helper that does. The dist runs in .ci/run exclude them: they would test src/ again, not dist/,
// and count the same checks once more.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g
const SOURCE = /\.(?:[cm]?[jt]sx?)$/

/** @param {string} root @returns {string[]} test files, relative to the cwd, sorted */
export function srcImporters(root) {
  const src = resolve('src') + '/'
  const files = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (SOURCE.test(entry.name)) files.push(resolve(path))
    }
  }
  walk(root)
  const imports = new Map(files.map((file) => [file, [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1]))]))
  const memo = new Map()
  const reachesSrc = (file, seen = new Set()) => {
    if (memo.has(file)) return memo.get(file)
    if (seen.has(file)) return false
    seen.add(file)
    const hit = (imports.get(file) ?? []).some((target) => target.startsWith(src) || (imports.has(target) && reachesSrc(target, seen)))
    memo.set(file, hit)
    return hit
  }
  return files.filter((file) => /\.test\.[jt]sx?$/.test(file) && reachesSrc(file)).map((file) => relative('.', file)).sort()
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of srcImporters(process.argv[2] ?? 'test')) console.log(file)
}
