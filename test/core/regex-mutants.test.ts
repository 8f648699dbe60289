// Engine edges that surviving mutants of regex.ts (rest group of npm run mutation:core) showed untested:
// case folding at every code unit, the step counter, the lazy DFA and anchored early exits, multi-digit
// counted repeats, the program-size boundary, and escapes the generated patterns do not produce.
import { describe, expect, it } from 'vitest'
import { SLOW } from '../helpers/timeouts.ts'
// The engine and its step counter are internal: read them from the source (issue #9).
import { compileRegex, MAX_PROGRAM, regexWork, type RegexTest } from '../../src/core/regex.ts'

const compiled = (pattern: string, ignoreCase = false): RegexTest => {
  const test = compileRegex(pattern, ignoreCase)
  if (typeof test === 'string') throw new Error(`${pattern}: ${test}`)
  return test
}
const hex4 = (u: number): string => u.toString(16).padStart(4, '0')

describe('caseInsensitive folding', () => {
  it('matches a code unit as the i flag of RegExp does, for every code unit and each of its case forms', SLOW, () => {
    // Units grouped by their upper case: µ (U+00B5), μ and Μ share one, as ς, σ and Σ, or ǅ, ǆ and Ǆ do.
    const byUpper = new Map<string, number[]>()
    for (let u = 0; u < 65536; u++) {
      const up = String.fromCharCode(u).toUpperCase()
      const group = byUpper.get(up)
      if (group) group.push(u)
      else byUpper.set(up, [u])
    }
    const mismatches: string[] = []
    for (let u = 0; u < 65536; u++) {
      const s = String.fromCharCode(u)
      const forms = new Set([u, ...(byUpper.get(s.toUpperCase()) ?? []), ...(byUpper.get(s) ?? []), s.toLowerCase().charCodeAt(0)])
      if (u < 128) forms.add(u ^ 32)
      else if (forms.size === 1) continue // no other case form: nothing to fold (most of the BMP)
      const patterns = [`\\u${hex4(u)}`]
      if (forms.size > 2) patterns.push(`[${patterns[0]}]`, `[^${patterns[0]}]`)
      for (const p of patterns) {
        const ours = compiled(p, true)
        const native = new RegExp(p, 'i')
        for (const d of forms) {
          const input = String.fromCharCode(d)
          if (ours(input) !== native.test(input)) mismatches.push(`/${p}/i on \\u${hex4(d)}`)
        }
      }
    }
    expect(mismatches).toEqual([])
  })

  it('folds the ASCII letters only: the code units next to a-z and A-Z stay themselves', () => {
    for (const [p, input] of [['`', '@'], ['@', '`'], ['\\{', '['], ['\\[', '{'], ['\\^', '~'], ['~', '\\^']] as const) {
      expect(compiled(p, true)(input.replace('\\', '')), `/${p}/i on ${input}`).toBe(false)
    }
    expect(compiled('^[`-{]+$', true)('`az{')).toBe(true)
    expect(compiled('^[`-{]+$', true)('@')).toBe(false)
    expect(compiled('^[@-\\[]+$', true)('@AZ[az')).toBe(true)
    expect(compiled('^[@-\\[]+$', true)('`')).toBe(false)
  })
})

describe('the work of one test (regexWork.steps, which the linear-time bounds read)', () => {
  /** Steps of three tests of `input` in a row with one compiled pattern, and the answer. */
  const steps = (pattern: string, input: string): [number[], boolean] => {
    const test = compiled(pattern)
    const counts: number[] = []
    let answer = false
    for (let k = 0; k < 3; k++) {
      regexWork.steps = 0
      answer = test(input)
      counts.push(regexWork.steps)
    }
    return [counts, answer]
  }

  it('counts every state added and every code unit stepped, and a repeated input costs one lookup per code unit', () => {
    // The lazy DFA: the first test computes its state sets, the next ones follow them.
    expect(steps('ab', 'xxab')).toEqual([[11, 6, 6], true])
    expect(steps('a', 'b'.repeat(100))).toEqual([[104, 102, 102], false])
    // Code units past Latin-1 are stepped each time (their transitions are not kept); U+00FF is kept.
    expect(steps('a', '\u0100'.repeat(100))).toEqual([[300, 300, 300], false])
    expect(steps('a', '\u00ff'.repeat(100))).toEqual([[104, 102, 102], false])
    // A word boundary reads two code units: always simulated, never cached.
    expect(steps('\\bab', 'xxxx')).toEqual([[8, 8, 8], false])
    expect(steps('\\bab', 'x ab')).toEqual([[13, 13, 13], true])
  })

  it('ends an anchored search at the first code unit no state survives', () => {
    expect(steps('^a', 'b'.repeat(10_000))).toEqual([[4, 3, 3], false])
    expect(steps('^\\ba', 'b'.repeat(10_000))).toEqual([[4, 4, 4], false])
    expect(steps('^ab', 'a'.repeat(10_000))[0].every((n) => n < 10)).toBe(true)
  })

  it('keeps answering like RegExp when one compiled pattern with word boundaries serves many inputs', () => {
    // A boundary depends on the code unit after the one read, so these programs must never take a cached step.
    const inputs = ['ab', 'x ab', 'xab', 'ab x', 'abx', 'a ab ab', ' ab', 'xx ab', 'ab ab', 'zab ', 'a-b', 'ab-ab', 'xabx ab']
    for (const p of ['\\bab', 'ab\\b', '\\Bab', 'ab\\B', '\\bab\\b', 'a\\b', '\\Ba\\B', 'b\\b-']) {
      const ours = compiled(p)
      const native = new RegExp(p)
      for (const s of [...inputs, ...inputs]) expect(ours(s), `/${p}/ on ${JSON.stringify(s)}`).toBe(native.test(s))
    }
  })

  it('keeps at most 256 state sets per pattern: past them, a repeated input is stepped again', () => {
    // An a ten code units from the end: 1,024 state sets, and an input of 2,000 code units visits more than 256.
    let x = 7
    const input = Array.from({ length: 2000 }, () => ((x = (x * 1103515245 + 12345) % 2147483648) & 65536 ? 'a' : 'b')).join('') + 'bbbbbbbbbb'
    const [counts, answer] = steps('(?:a|b)*a(?:a|b){9}$', input)
    expect(answer).toBe(false)
    expect(counts[1]).toBe(counts[2])
    expect(counts[1]).toBeGreaterThan(input.length * 2) // not one lookup per code unit: the cache is full
    const [small] = steps('(?:a|b)*a(?:a|b){2}$', input) // 8 state sets: all kept
    expect(small[1]).toBeLessThan(input.length + 50) // one lookup per code unit, and the last ones simulated
  })

  it('holds ^ only at the start and $ only at the end, also in the middle of a pattern', () => {
    for (const p of ['.^', 'a^b', '(?:a|^)b', 'a$b', '$a', '(?:a|$)b', 'x*^y', 'a|^b']) {
      const ours = compiled(p)
      const native = new RegExp(p)
      for (const s of ['xyz', 'aab', 'ab', 'b', 'bab', 'xxy', 'y', 'ba', 'abab', 'xxb', 'yyyb', 'xxyy']) expect(ours(s), `/${p}/ on ${s}`).toBe(native.test(s))
    }
  })

  it('answers NUL code units in cached state sets', () => {
    expect(compiled('a')('\u0000\u0000a')).toBe(true)
    expect(compiled('^\\0+a$')('\u0000\u0000a')).toBe(true)
    expect(compiled('^\\0+a$')('\u0000\u0000b')).toBe(false)
  })
})

describe('counted repeats', () => {
  it('reads ? as at most once', () => {
    expect(compiled('^a?$')('aa')).toBe(false)
    expect(compiled('^(?:ab)?$')('abab')).toBe(false)
    expect(compiled('^(?:ab)?$')('ab')).toBe(true)
    expect(compiled('^a??b$')('aab')).toBe(false)
  })

  it('reads counts of several digits', () => {
    const cases: [string, number, boolean][] = [
      ['^a{10}$', 10, true], ['^a{10}$', 9, false], ['^a{10}$', 11, false],
      ['^a{2,10}$', 10, true], ['^a{2,10}$', 11, false], ['^a{2,10}$', 1, false],
      ['^a{10,}$', 10, true], ['^a{10,}$', 25, true], ['^a{10,}$', 9, false],
      ['^a{12,15}?$', 13, true], ['^a{0}$', 0, true], ['^a{0}$', 1, false], ['^a{2,2}$', 2, true], ['^a{2,2}$', 3, false],
    ]
    for (const [p, n, hit] of cases) expect(compiled(p)('a'.repeat(n)), `/${p}/ on ${n} a`).toBe(hit)
    expect(compiled('^a{1000}$')('a'.repeat(1000))).toBe(true)
    expect(compiled('^a{1000,}$')('a'.repeat(999))).toBe(false)
  })

  it.each([['a{3,0}', 'bad repeat'], ['a{1,1001}', 'bad repeat'], ['a{1001,}', 'bad repeat'], ['a{x}b{2}', '"{" not in a repeat'], ['a{2', '"{" not in a repeat'], ['a{2,3', '"{" not in a repeat']])(
    'rejects %s', (p, what) => {
      expect(compileRegex(p)).toContain(what)
      expect(compileRegex(p)).toContain('at index 1')
    },
  )

  it('refuses a program over MAX_PROGRAM instructions, and takes one of exactly MAX_PROGRAM', () => {
    expect(MAX_PROGRAM).toBe(2000)
    // a{999} twice, one more a and the final match: 2,000 instructions.
    expect(compiled('a{999}a{999}a')('a'.repeat(1999))).toBe(true)
    expect(compiled('a{999}a{999}a')('a'.repeat(1998))).toBe(false)
    expect(compileRegex('a{999}a{999}aa')).toBe('bad regex: too large once repeats expand (over 2000 steps) at index 14')
    expect(typeof compileRegex('(aa){999}a')).toBe('function')
    expect(compileRegex('(aa){999}aa')).toContain('too large')
    // An alternation of two costs four instructions (split, a, jump, b): with a{995}a{1000} and the match, 2,000.
    expect(typeof compileRegex('(?:a|b)a{995}a{1000}')).toBe('function')
    expect(compileRegex('(?:a|b)a{996}a{1000}')).toContain('too large')
  })
})

describe('escapes and syntax the generated patterns do not produce', () => {
  it('is case-sensitive unless asked', () => {
    expect((compileRegex('a') as RegexTest)('A')).toBe(false)
    expect(compiled('a', true)('A')).toBe(true)
  })

  it('reads \\0, \\r, \\t, \\f, \\v and \\n as their code units, and \\x / \\u only with all their hex digits', () => {
    expect(compiled('^\\0$')('\u0000')).toBe(true)
    expect(compiled('^\\0a$')('\u0000a')).toBe(true)
    expect(compiled('^\\r\\t\\f\\v\\n$')('\r\t\f\v\n')).toBe(true)
    expect(compiled('^[\\r\\t\\f\\v\\n]+$')('\n\v\f\t\r')).toBe(true)
    expect(compiled('^\\x4A\\u004b$')('JK')).toBe(true)
    expect(compiled('^\\x4a\\u004B$', true)('jk')).toBe(true)
    expect(compiled('^\\x410$')('A0')).toBe(true)
    expect(compiled('^\\u00411$')('A1')).toBe(true)
    // Hex digits after another escape are plain text.
    expect(compiled('^\\-beef\\.12$')('-beef.12')).toBe(true)
  })

  it.each([
    ['[\\b]', 'unsupported escape "\\b" at index 1'], ['\\xzz41', 'unsupported escape "\\x" at index 0'], ['\\uz1234', 'unsupported escape "\\u" at index 0'],
    ['\\u004', 'unsupported escape "\\u" at index 0'], ['\\01', 'unsupported escape "\\0" at index 0'], ['[\\B]', 'unsupported escape "\\B" at index 1'],
    ['$+', 'nothing to repeat with "+" at index 1'], ['\\b?', 'nothing to repeat with "?" at index 2'], ['a|*', 'nothing to repeat with "*" at index 2'],
    ['a+*', 'nothing to repeat with "*" at index 2'], ['a??+', 'nothing to repeat with "+" at index 3'], ['(?', 'unsupported group "(?" at index 0'],
    ['(?:a', 'missing ")" at index 4'], ['x(a|b', 'missing ")" at index 5'], ['ab)', 'unmatched ")" at index 2'], ['[ab', 'missing "]" at index 3'],
    ['a[b-\\d]', 'bad range at index 4'], ['[a-a', 'missing "]" at index 4'], ['\\', 'trailing \\ at index 0'],
  ])('rejects %s, naming it and where it is', (p, message) => {
    expect(compileRegex(p)).toBe(`bad regex: ${message}`)
  })

  it('reads . as any code unit but a line terminator', () => {
    expect(compiled('^a.c$')('abc')).toBe(true)
    expect(compiled('^a.c$')('a\u00e9c')).toBe(true)
    for (const t of ['\n', '\r', '\u2028', '\u2029']) expect(compiled('^a.c$')(`a${t}c`)).toBe(false)
  })

  it('takes a one-unit range and a "-" at either end of a class', () => {
    expect(compiled('^[a-a]+$')('aaa')).toBe(true)
    expect(compiled('^[a-a]+$')('ab')).toBe(false)
    expect(compiled('^[-a]+$')('-a')).toBe(true)
    expect(compiled('^[a-]+$')('-a')).toBe(true)
    expect(compiled('^[a-]+$')('b')).toBe(false)
  })

  it('searches alternatives of one or many branches', () => {
    expect(compiled('(?:abc)')('xabcx')).toBe(true)
    expect(compiled('^(?:a|b|c)$')('c')).toBe(true)
    expect(compiled('^(?:a|b|c)$')('d')).toBe(false)
    expect(compiled('x|')('anything')).toBe(true)
  })
})
