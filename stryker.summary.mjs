// Prints the per-file mutation table of src/core from every group's report (reports/mutation/core-*.json,
// written by `npm run mutation:core`): killed, timeout, survived, no coverage, score per file and in total.
// The sources group's report (reports/mutation/sources.json) adds src/sources rows (named sources/FILE)
// and a src/sources total of their own.
import { readdirSync, readFileSync } from 'node:fs'

const dir = 'reports/mutation'
const rows = new Map()
for (const name of readdirSync(dir).filter((n) => /^(core-[a-z]+|sources)\.json$/.test(n)).sort()) {
  const report = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const n = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 }
    for (const m of mutants) n[m.status in n ? m.status : 'other']++
    rows.set(file, n) // a later group's report of the same file wins (groups do not overlap)
  }
}
const score = (n) => (n.Killed + n.Timeout) / (n.Killed + n.Timeout + n.Survived + n.NoCoverage)
const dirs = ['src/core', 'src/sources']
const totals = Object.fromEntries(dirs.map((d) => [d, { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 }]))
console.log('| file | killed | timeout | survived | no coverage | score |\n| --- | ---: | ---: | ---: | ---: | ---: |')
for (const [file, n] of [...rows].sort((a, b) => b[1].Survived + b[1].NoCoverage - a[1].Survived - a[1].NoCoverage)) {
  const total = totals[dirs.find((d) => file.startsWith(`${d}/`)) ?? 'src/core']
  for (const k in total) total[k] += n[k]
  console.log(`| ${file.replace(/^src\/core\//, '').replace(/^src\//, '')} | ${n.Killed} | ${n.Timeout} | ${n.Survived} | ${n.NoCoverage} | ${(100 * score(n)).toFixed(2)}% |`)
}
for (const [name, total] of Object.entries(totals)) {
  if (!(total.Killed + total.Timeout + total.Survived + total.NoCoverage)) continue
  console.log(`| **${name}** | ${total.Killed} | ${total.Timeout} | ${total.Survived} | ${total.NoCoverage} | **${(100 * score(total)).toFixed(2)}%** |`)
}
const other = Object.values(totals).reduce((sum, total) => sum + total.other, 0)
if (other) console.log(`(${other} more: static mutants left out by ignoreStatic, or compile errors)`)
