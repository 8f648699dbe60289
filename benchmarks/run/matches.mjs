// `matches` against a 10,000-character attribute (issue #9): flagstage's linear-time matcher (src/core/regex.ts)
// next to the engine's own RegExp on the same text. Rows, each one evaluation of one flag with one `matches` rule:
//   linear pattern      `^[a-z0-9._%+-]+@example\.com$`, 10,000-char e-mails (they match)
//   catastrophic        `^(a+)+$` on 10,000 `a` then `!` (no match): RegExp backtracks exponentially on this one,
//                       so its floor row runs on 20 `a` and the `!` only (2^20 steps) and is labelled so
//   alternation         `(foo|bar|baz)\d{3}` unanchored, the digits at the end of 10,000 chars
// Same harness as W1–W4 (CPU time, interleaved rounds, medians). Before timing, every row's answers are
// compared with RegExp on inputs it can finish. One op = one `isEnabled`, µs per op.
//   node run/matches.mjs [--smoke]
import { fileURLToPath } from 'node:url'
import { createClient, matchesOperator, registerOperators } from 'flagstage'
import { measure } from '../harness.mjs'
import { runChild, scenarioMain } from '../lib/child.mjs'

const SELF = fileURLToPath(import.meta.url)
const N = 10_000

const CASES = [
  {
    id: 'email', title: 'linear pattern, 10,000-char e-mail (match)', pattern: '^[a-z0-9._%+-]+@example\\.com$',
    texts: (i) => `${'x'.repeat(N - 12 - String(i).length)}${i}@example.com`, expect: true,
  },
  {
    id: 'nested', title: 'catastrophic `^(a+)+$`, 10,000 × a then ! (no match)', pattern: '^(a+)+$',
    texts: () => `${'a'.repeat(N)}!`, expect: false, floorText: `${'a'.repeat(20)}!`,
  },
  {
    id: 'alt', title: 'unanchored `(foo|bar|baz)\\d{3}`, match at the end of 10,000 chars', pattern: '(foo|bar|baz)\\d{3}',
    texts: (i) => `${'q'.repeat(N - 6)}baz${String(100 + (i % 900))}`, expect: true,
  },
]

const child = async ({ smoke }) => {
  registerOperators(matchesOperator)
  const rows = []
  for (const c of CASES) {
    const client = createClient({
      bootstrap: { schemaVersion: 1, flags: { m: { enabled: true, rules: [{ if: { attr: 'text', op: 'matches', value: c.pattern }, serve: 'on' }] } } },
    })
    const contexts = Array.from({ length: 16 }, (_, i) => ({ text: c.texts(i) }))
    const re = new RegExp(c.pattern)
    const floorContexts = c.floorText ? [{ text: c.floorText }] : contexts
    // Semantics: the same answer as RegExp wherever RegExp finishes, and the expected one.
    const check = contexts.every((ctx) => client.forContext(ctx).isEnabled('m') === c.expect)
    const agree = floorContexts.every((ctx) => client.forContext(ctx).isEnabled('m') === re.test(ctx.text))
    const entries = [
      { name: `RegExp.test${c.floorText ? ` (${c.floorText.length} chars only: longer never returns)` : ''}`, group: 'floor', contexts: floorContexts, fn: (ctx) => re.test(ctx.text) },
      { name: 'flagstage forContext(ctx).isEnabled', group: 'flagstage', contexts, fn: (ctx) => client.forContext(ctx).isEnabled('m') },
    ]
    // Fixed counts: one evaluation costs milliseconds here, so the harness's calibration (64k calls) would take minutes.
    const opt = smoke ? { runs: 1, iterations: 10 } : { runs: 5, iterations: 200 }
    await measure(entries, { hit: c.expect, ...opt })
    client.close()
    for (const e of entries) rows.push({ case: c.id, title: c.title, name: e.name, group: e.group, nsPerOp: e.nsPerOp, check: check && agree ? 'ok' : 'FAIL: answers differ from RegExp' })
  }
  return { rows }
}

export const run = async ({ smoke = false } = {}) => {
  const res = await runChild(SELF, smoke ? ['--smoke'] : [], { nodeFlags: ['--expose-gc'], timeoutMs: smoke ? 60_000 : 300_000 })
  return res.error ? { rows: [], error: res.error } : res
}

export const matchesProblems = ({ rows, error }) => [
  ...(error ? [`matches: ${error}`] : []),
  ...rows.filter((r) => r.check !== 'ok').map((r) => `matches ${r.case}: ${r.check}`),
]

export const matchesTable = ({ rows, error }) => {
  const lines = [
    '### `matches` on a 10,000-character attribute (linear-time matcher vs the engine\'s RegExp)',
    '',
    '| case | row | µs per evaluation (CPU, median) | check |',
    '| --- | --- | ---: | --- |',
  ]
  if (error) lines.push(`| failed: ${error} | | | |`)
  for (const r of rows) lines.push(`| ${r.title.replaceAll('|', '\\|')} | ${r.group === 'flagstage' ? `**${r.name}**` : r.name} | ${(r.nsPerOp / 1000).toFixed(1)} | ${r.check} |`)
  lines.push('', 'One op = one evaluation of a flag whose only rule is `attr matches pattern`. flagstage runs every accepted pattern in time linear in the input ' +
    '(a Thompson-NFA set simulation, src/core/regex.ts), so the catastrophic pattern costs about what a linear one does; RegExp backtracks, ' +
    'and on `^(a+)+$` its time doubles per character (its row uses 20 `a` and the `!`; 10,000 would not finish). "check": flagstage answers as RegExp wherever RegExp finishes.')
  return lines.join('\n')
}

await scenarioMain(import.meta.url, { child: (args, { smoke }) => child({ smoke }), report: async ({ smoke }) => matchesTable(await run({ smoke })), exit: true })
