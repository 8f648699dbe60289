#!/usr/bin/env node
// Reads a vitest JSON report (--reporter=json) and prints "<passed> <failed> <skipped>" for .ci/run.
// Exits 2, with the reason on stderr, when the report is missing, truncated or inconsistent: a stage
// whose report cannot be trusted must fail the run, never add "0 passed, 0 failed".
//
// failed = failed tests + files that failed without a failed test (a suite that did not load, a
// beforeAll that threw: vitest reports their tests as skipped) + tests that never finished, or 1 if
// the report says the run was unsuccessful and none of these accounts for it.
import { readFileSync } from 'node:fs'

const COUNTS = ['numTotalTests', 'numPassedTests', 'numFailedTests', 'numPendingTests', 'numTodoTests']
// How the json reporter maps a test's state; "pending" is a test still running or queued when the
// report was written: it did not finish, so it counts as failed.
const STATUSES = { passed: 'numPassedTests', failed: 'numFailedTests', skipped: 'numPendingTests', pending: 'numPendingTests', todo: 'numTodoTests' }

/** @param {string} text @returns {{ passed: number, failed: number, skipped: number, failedFiles: string[] }} */
export function countReport(text) {
  let report
  try {
    report = JSON.parse(text)
  } catch (error) {
    throw new Error(`report is not JSON (truncated?): ${error.message}`)
  }
  if (report === null || typeof report !== 'object') throw new Error('report is not an object')
  for (const key of COUNTS) {
    if (!Number.isInteger(report[key]) || report[key] < 0) throw new Error(`report.${key} is missing or not a count`)
  }
  if (!Array.isArray(report.testResults)) throw new Error('report.testResults is missing')
  if (typeof report.success !== 'boolean') throw new Error('report.success is missing')
  const { numTotalTests, numPassedTests, numFailedTests, numPendingTests, numTodoTests } = report
  if (numPassedTests + numFailedTests + numPendingTests + numTodoTests !== numTotalTests) {
    throw new Error(`report totals disagree: ${numPassedTests} + ${numFailedTests} + ${numPendingTests} + ${numTodoTests} != ${numTotalTests}`)
  }
  if (report.testResults.length === 0) throw new Error('report lists no test files')
  // The per-test statuses must add up to the totals: a report cut short and re-closed would not.
  const seen = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 }
  const failedFiles = []
  let unfinished = 0
  for (const file of report.testResults) {
    if (!file || !Array.isArray(file.assertionResults) || typeof file.name !== 'string') throw new Error('a test file entry is malformed')
    let failedTests = 0
    for (const test of file.assertionResults) {
      const key = STATUSES[test?.status]
      if (!key) throw new Error(`unknown test status ${JSON.stringify(test?.status)} in ${file.name}`)
      seen[key]++
      if (test.status === 'failed') failedTests++
      if (test.status === 'pending') unfinished++
    }
    if (file.status === 'failed' && failedTests === 0) failedFiles.push(file.name)
    else if (file.status !== 'failed' && file.status !== 'passed') {
      throw new Error(`unknown file status ${JSON.stringify(file.status)} for ${file.name}`)
    }
  }
  for (const key of Object.keys(seen)) {
    if (seen[key] !== report[key]) throw new Error(`report.${key} is ${report[key]} but its tests add up to ${seen[key]}`)
  }
  if (numTotalTests === 0 && failedFiles.length === 0) throw new Error('report counts no tests')
  let failed = numFailedTests + failedFiles.length + unfinished
  if (!report.success && failed === 0) failed = 1
  if (report.success && failed > 0) throw new Error(`report says success but counts ${failed} failure(s)`)
  return { passed: numPassedTests, failed, skipped: numPendingTests - unfinished + numTodoTests, failedFiles }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2]
  try {
    if (!file) throw new Error('usage: vitest-counts.mjs <report.json>')
    let text
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      throw new Error(`no report at ${file}`)
    }
    const { passed, failed, skipped, failedFiles } = countReport(text)
    for (const name of failedFiles) console.error(`suite failed outside its tests: ${name}`)
    console.log(`${passed} ${failed} ${skipped}`)
  } catch (error) {
    console.error(`vitest-counts: ${error.message}`)
    process.exit(2)
  }
}
