// A linear-time matcher for the `matches` operator (issue #9): the pattern is parsed once into a small
// program and run as a Thompson NFA, every live state advanced one input code unit at a time (the
// set simulation of Pike's VM, without captures). Nothing backtracks, so one test costs at most
// (program size) × (input length + 1) steps, whatever the pattern. The syntax is the part of RE2 and
// JavaScript that both read alike; anything else (backreferences, lookaround, named or flag groups,
// unknown escapes) is refused with a message, so the validator can reject it at load time.

/** A compiled pattern: true when it matches somewhere in `input` (a search, as `RegExp.test`). */
export type RegexTest = (input: string) => boolean

/** Largest count accepted in `{m}`, `{m,}` and `{m,n}`. */
export const MAX_REPEAT = 1000
/** Largest compiled program (counted repeats are expanded): bounds the steps per input code unit. */
export const MAX_PROGRAM = 2000

/** Steps taken by every regex test so far: read by tests that bound the work of an evaluation. */
export const regexWork: { steps: number } = { steps: 0 }

type CharTest = (c: number) => boolean
/** A set of live states of the lazy DFA (see compileRegex) and its transitions, by code unit. */
interface State { list: number[]; next: (State | typeof MATCHED)[]; kept: boolean }
const MATCHED = 0
/** Most state sets cached per pattern (each a few hundred bytes at most). */
const MAX_STATES = 256
// A parsed pattern: one code unit, a sequence, alternatives, a repeat (max -1: unbounded), an assertion.
type Node = [0, CharTest] | [1, Node[]] | [2, Node[]] | [3, Node, number, number] | [4, number]

// Ranges as flat [lo, hi, lo, hi, ...] lists of UTF-16 code units, sorted.
const DIGIT = [48, 57]
const WORD = [48, 57, 65, 90, 95, 95, 97, 122]
const SPACE = [9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279]
const LINE = [10, 10, 13, 13, 8232, 8233] // what `.` does not match, as in JavaScript
const invert = (r: number[]): number[] => {
  const out: number[] = []
  let next = 0
  for (let i = 0; i < r.length; i += 2) {
    if (r[i]! > next) out.push(next, r[i]! - 1)
    next = r[i + 1]! + 1
  }
  if (next < 65536) out.push(next, 65535)
  return out
}
const inRanges = (r: number[], c: number): boolean => {
  for (let i = 0; i < r.length; i += 2) if (c >= r[i]! && c <= r[i + 1]!) return true
  return false
}
const isWord = (s: string, i: number): boolean => i >= 0 && i < s.length && inRanges(WORD, s.charCodeAt(i))

// Case folding as JavaScript's non-unicode `i` flag: a code unit is canonicalised by upper-casing it,
// unless that gives several units or takes a non-ASCII unit to ASCII.
const canon = (c: number): number => {
  if (c < 128) return c > 96 && c < 123 ? c - 32 : c
  const u = String.fromCharCode(c).toUpperCase()
  const k = u.charCodeAt(0)
  return u.length > 1 || k < 128 ? c : k
}
const lower = (c: number): number => String.fromCharCode(c).toLowerCase().charCodeAt(0)
// Units canonicalised to k that are neither k nor its lower case: µ (U+00B5) and μ both give Μ, ς and σ
// give Σ, ǅ and ǆ give Ǆ (about 25 in all). Found once by asking the engine, so they follow its Unicode
// version as RegExp does; only a case-insensitive set with a non-ASCII member needs them.
let thirdForms: number[] | undefined // [u, canon(u), ...]
const third = (): number[] => {
  if (!thirdForms) {
    thirdForms = []
    for (let u = 128; u < 65536; u++) {
      const k = canon(u)
      if (k !== u && lower(k) !== u) thirdForms.push(u, k)
    }
  }
  return thirdForms
}

/** A test for a set of code units; with `fold`, a unit matches when a unit of the same canonical form is in the set. */
const set = (r: number[], negate: boolean, fold: boolean): CharTest => {
  // Canonical forms the set holds only through a third form (so /µ/i matches Μ and μ, as RegExp does).
  let also: Set<number> | undefined
  if (fold && r.some((x) => x > 127)) {
    const t = third()
    for (let i = 0; i < t.length; i += 2) if (inRanges(r, t[i]!)) (also ??= new Set()).add(t[i + 1]!)
  }
  return (c) => {
    let hit = inRanges(r, c)
    if (fold && !hit) {
      const k = canon(c)
      const l = lower(k)
      hit = (canon(k) === k && inRanges(r, k)) || (canon(l) === k && inRanges(r, l)) || (also !== undefined && also.has(k))
    }
    return hit !== negate
  }
}

/**
 * Compile `pattern` (the subset documented in the README: literals and escapes, `.`, classes, `\d \w \s`
 * and their negations, `^ $ \b \B`, alternation, groups, greedy or lazy `* + ? {m} {m,} {m,n}`).
 * @returns the test, or a message naming the unsupported or malformed syntax and where it is.
 * @example
 * const test = compileRegex('^[a-z]+@example\\.com$', true)
 * if (typeof test === 'function') test('Ann@Example.com') // true
 */
export const compileRegex = (pattern: string, ignoreCase = false): RegexTest | string => {
  let p = 0
  let token = 0 // where the item being read starts, for messages
  const at = (i = p): string => pattern.charAt(i)
  // Messages quote the offending syntax and its index; the README lists what is accepted.
  const fail = (what: string): never => {
    throw `${what} at index ${token}`
  }
  const one = (c: number): number[] => [c, c]

  // \d \D \w \W \s \S give ranges; outside a class \b \B give an assertion.
  const escape = (inClass: boolean): number[] | number => {
    const c = at(p++)
    if (!c) fail('trailing \\')
    const k = 'dDwWsS'.indexOf(c)
    if (k >= 0) {
      const r = [DIGIT, WORD, SPACE][k >> 1]!
      return k & 1 ? invert(r) : r
    }
    if (!inClass && (c == 'b' || c == 'B')) return c == 'b' ? 2 : 3
    const control = 'nrtfv'.indexOf(c)
    if (control >= 0) return one([10, 13, 9, 12, 11][control]!)
    if (c == '0' && !/\d/.test(at())) return one(0)
    const hex = (c == 'x' ? /^[\da-f]{2}/i : c == 'u' ? /^[\da-f]{4}/i : /$^/).exec(pattern.slice(p))?.[0]
    if (hex) return (p += hex.length), one(parseInt(hex, 16))
    // Backreferences, octal, \p{...}, \k<...>, \cX and letters with no meaning are all refused here.
    if (/[!-/:-@[-`{-~]/.test(c)) return one(c.charCodeAt(0))
    return fail(`unsupported escape "\\${c}"`)
  }

  const member = (): number[] => {
    const c = at((token = p++))
    if (!c) fail('missing "]"')
    if (c == '[') fail('unescaped "[" in a class')
    return c == '\\' ? (escape(true) as number[]) : one(c.charCodeAt(0))
  }
  const single = (r: number[]): boolean => r.length == 2 && r[0] === r[1]
  const charClass = (): Node => {
    const negate = at() == '^'
    if (negate) p++
    if (at() == ']') fail('empty class "[]"')
    const r: number[] = []
    while (at() != ']') {
      let lo = member()
      if (at() == '-' && at(p + 1) != ']' && at(p + 1)) {
        p++
        const hi = member()
        if (!single(lo) || !single(hi) || lo[0]! > hi[0]!) fail('bad range')
        lo = [lo[0]!, hi[0]!]
      }
      r.push(...lo)
    }
    p++
    return [0, set(r, negate, ignoreCase)]
  }

  const atom = (): Node => {
    const c = at((token = p++))
    if (c == '(') {
      if (at() == '?') {
        if (at(p + 1) != ':') fail(`unsupported group "(?${at(p + 1)}"`)
        p += 2
      }
      const inner = alternatives()
      if (at(p++) != ')') fail('missing ")"')
      return inner
    }
    if (c == '[') return charClass()
    if (c == '.') return [0, set(LINE, true, false)]
    if (c == '^' || c == '$') return [4, c == '^' ? 0 : 1]
    if (c == '\\') {
      const e = escape(false)
      return typeof e == 'number' ? [4, e] : [0, set(e, false, ignoreCase)]
    }
    if (/[*+?{]/.test(c)) fail(`nothing to repeat with "${c}"`)
    return [0, set(one(c.charCodeAt(0)), false, ignoreCase)]
  }
  const sequence = (): Node => {
    const items: Node[] = []
    while (p < pattern.length && at() != '|' && at() != ')') {
      let node = atom()
      const q = at((token = p))
      let min = q == '+' ? 1 : q == '*' || q == '?' ? 0 : -1
      let max = q == '?' ? 1 : -1
      if (q == '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(p))
        if (!m) fail('"{" not in a repeat like {2,5} (escape it as \\{)')
        min = +m![1]!
        max = m![2] ? (m![3] ? +m![3] : -1) : min
        if (Math.max(min, max) > MAX_REPEAT || (max >= 0 && max < min)) fail(`bad repeat (counts up to ${MAX_REPEAT})`)
        p += m![0].length - 1
      }
      if (min >= 0) {
        if (node[0] == 4) fail(`nothing to repeat with "${q}"`)
        if (at(++p) == '?') p++ // lazy: the same answer for a yes/no test
        if (/[*+?{]/.test(at())) (token = p), fail(`nothing to repeat with "${at()}"`)
        node = [3, node, min, max]
      }
      items.push(node)
    }
    return [1, items]
  }
  const alternatives = (): Node => {
    const alts = [sequence()]
    while (at() == '|') p++, alts.push(sequence())
    return alts.length > 1 ? [2, alts] : alts[0]!
  }

  // The program: op 0 char (arg: test), 1 split (arg, alt: targets), 2 jump (arg), 3 assert (arg), 4 match.
  const op: number[] = []
  const arg: (number | CharTest)[] = []
  const alt: number[] = []
  const emit = (o: number, a: number | CharTest = op.length + 1): number => {
    if (op.length >= MAX_PROGRAM) fail(`too large once repeats expand (over ${MAX_PROGRAM} steps)`)
    alt.push(0)
    arg.push(a)
    return op.push(o) - 1
  }
  const compile = (node: Node): void => {
    if (node[0] == 0) emit(0, node[1])
    else if (node[0] == 4) emit(3, node[1])
    else if (node[0] == 1) node[1].forEach(compile)
    else if (node[0] == 2) {
      const jumps: number[] = []
      const alts = node[1]
      for (let i = 0; i < alts.length - 1; i++) {
        const split = emit(1)
        compile(alts[i]!)
        jumps.push(emit(2))
        alt[split] = op.length
      }
      compile(alts[alts.length - 1]!)
      for (const j of jumps) arg[j] = op.length
    } else {
      const [, body, min, max] = node
      for (let i = 0; i < min; i++) compile(body)
      const splits: number[] = []
      for (let i = min; max < 0 ? i == min : i < max; i++) {
        splits.push(emit(1))
        compile(body)
        if (max < 0) emit(2, splits[0])
      }
      for (const s of splits) alt[s] = op.length
    }
  }

  try {
    const tree = alternatives()
    if (p < pattern.length) (token = p), fail('unmatched ")"')
    compile(tree)
    emit(4)
  } catch (error) {
    return `bad regex: ${error as string}`
  }
  // Anchored at the start (the program opens with ^): no thread starts after position 0, and the search
  // ends once none is left.
  const anchored = op[0] == 3 && arg[0] == 0
  const mark = new Float64Array(op.length) // generation in which a state was added
  const stack: number[] = []
  let gen = 0
  let now: number[] = []
  let next: number[] = []

  // Adds state `pc` and everything it reaches without reading (at position `i`) to `list`; true on a match.
  const add = (list: number[], pc: number, i: number, input: string): boolean => {
    stack.push(pc)
    while (stack.length) {
      pc = stack.pop()!
      if (mark[pc] === gen) continue
      mark[pc] = gen
      regexWork.steps++
      const o = op[pc]
      const a = arg[pc] as number
      if (o == 0) list.push(pc)
      else if (o == 1) stack.push(alt[pc]!, a)
      else if (o == 2) stack.push(a)
      else if (o == 4) return (stack.length = 0), true
      else if (a == 0 ? i == 0 : a == 1 ? i == input.length : (isWord(input, i - 1) !== isWord(input, i)) === (a == 2)) {
        stack.push(pc + 1)
      }
    }
    return false
  }
  // A lazy DFA over the simulation (RE2's idea): the states live before an inner position are a pure
  // function of the states before it and the code unit read, so each (state set, code unit) step is
  // computed once (for code units below 256) and then followed as one lookup. A set's key is its list
  // in the order the simulation builds it, so one set may be cached twice: harmless, and bounded. Word
  // boundaries read two code units, so programs with \b or \B always simulate; the last code unit
  // (where `$` may hold) is always simulated. At most MAX_STATES sets are kept per pattern; past that
  // the simulation goes on uncached: the bound on the work per code unit is the same either way.
  const cacheable = !op.some((o, pc) => o == 3 && (arg[pc] as number) >= 2)
  const states = new Map<string, State>()
  const state = (list: number[]): State => {
    const key = list.join()
    let d = states.get(key)
    if (!d) {
      d = { list: list.slice(), next: [], kept: states.size < MAX_STATES }
      if (d.kept) states.set(key, d)
    }
    return d
  }
  // The states after reading `c` at inner position i (0 < i + 1 < length) from `from`, or MATCHED.
  const step = (from: number[], c: number, i: number, s: string): number[] | typeof MATCHED => {
    gen++
    next.length = 0
    for (let j = 0; j < from.length; j++) {
      regexWork.steps++
      const pc = from[j]!
      if ((arg[pc] as CharTest)(c) && add(next, pc + 1, i + 1, s)) return MATCHED
    }
    return !anchored && add(next, 0, i + 1, s) ? MATCHED : next
  }
  return (s) => {
    now.length = 0
    gen++
    if (add(now, 0, 0, s)) return true
    let i = 0
    if (cacheable && s.length > 1) {
      let d = state(now)
      for (; i < s.length - 1; i++) {
        if (anchored && !d.list.length) return false
        const c = s.charCodeAt(i)
        regexWork.steps++
        let to = d.next[c]
        if (to === undefined) {
          const list = step(d.list, c, i, s)
          to = list === MATCHED ? MATCHED : state(list)
          // Other code units are stepped each time, and so are sets past the cap: a kept set never links to
          // one that is not, or the sets reachable from the cache would grow with every new input.
          if (c < 256 && (to === MATCHED || to.kept)) d.next[c] = to
        }
        if (to === MATCHED) return true
        d = to
      }
      now.length = 0
      now.push(...d.list)
    }
    for (; i < s.length; i++) {
      if (anchored && !now.length) return false
      gen++
      next.length = 0
      const c = s.charCodeAt(i)
      for (let j = 0; j < now.length; j++) {
        regexWork.steps++
        const pc = now[j]!
        if ((arg[pc] as CharTest)(c) && add(next, pc + 1, i + 1, s)) return true
      }
      if (!anchored && add(next, 0, i + 1, s)) return true
      const swap = now
      now = next
      next = swap
    }
    return false
  }
}
