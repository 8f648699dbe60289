// Unleash evaluates REGEX constraints with RE2 semantics (unleash-client-node uses re2js). flagstage's
// `matches` runs a linear-time matcher with the part of RE2 and JavaScript syntax that reads alike;
// this rewrites the RE2-only spellings Unleash users write into that subset. What cannot be rewritten
// is left as is: the validator then refuses it and the constraint never matches, as an invalid
// pattern does in Unleash's SDKs.

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
}

/** A pattern in the shared subset, and whether it matches ignoring case; `invalid` when RE2 refuses it. */
export interface Rewritten {
  pattern: string
  caseInsensitive: boolean
  invalid?: true
}

// RE2 has no backreferences and no lookaround: such patterns are invalid there, whatever JavaScript says.
const NOT_RE2 = /\\[1-9]|\(\?<?[=!]/

/** Rewrite an RE2 pattern: leading `(?ims)` flags, `[[:class:]]`, `\A`, `\z`, `(?P<name>…)`. */
export const rewriteRe2 = (source: string, caseInsensitive: boolean): Rewritten => {
  if (NOT_RE2.test(source.replace(/\\\\/g, ''))) return { pattern: source, caseInsensitive, invalid: true }
  let p = source
  let anchor = ''
  let dotAll = false
  let multiline = false
  // Flags that apply to the whole pattern: `(?i)abc` or `^(?i)abc`.
  const lead = /^(\^?)\(\?([imsU]+)\)/.exec(p)
  if (lead) {
    anchor = lead[1]!
    p = p.slice(lead[0].length)
    for (const flag of lead[2]!) {
      if (flag === 'i') caseInsensitive = true
      else if (flag === 's') dotAll = true
      else if (flag === 'm') multiline = true
      else return { pattern: source, caseInsensitive } // (?U) swaps greediness: not rewritten
    }
  }
  let out = anchor && (multiline ? '(?:^|\\n)' : '^')
  let inClass = false
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    if (c === '\\') {
      const next = p[i + 1] ?? ''
      i++
      if (!inClass && next === 'A') out += '^'
      else if (!inClass && next === 'z') out += '$'
      else out += c + next
      continue
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i))
      if (posix && POSIX[posix[2]!] && !posix[1]) {
        out += POSIX[posix[2]!]
        i += posix[0].length - 1
        continue
      }
      if (c === ']') inClass = false
      out += c
      continue
    }
    if (c === '[') {
      inClass = true
      out += c
      // A `]` or `^]` right after the opening bracket is a literal.
      if (p[i + 1] === '^') out += p[++i]
      if (p[i + 1] === ']') out += '\\' + p[++i]
      continue
    }
    const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(p.slice(i))
    if (named) {
      out += '('
      i += named[0].length - 1
      continue
    }
    if (c === '.' && dotAll) out += '[\\s\\S]'
    else if (c === '^' && multiline) out += '(?:^|\\n)'
    else if (c === '$' && multiline) out += '(?:$|\\n)'
    else out += c
  }
  return { pattern: out, caseInsensitive }
}
