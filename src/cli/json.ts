// Strict JSON for the CLI: the same grammar as JSON.parse (what every source uses), plus where things are.
// JSON.parse does the parsing; on a syntax error, or when a problem needs a line and column, a small
// scanner walks the text again to find the spot. It accepts exactly JSON: no comments, no trailing commas.

/** A 1-based line and column in a text. */
export interface Position {
  line: number
  column: number
}

/** A JSON syntax error, with where it is and what was expected there. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError'
  readonly line: number
  readonly column: number
  /** The message without the position. */
  readonly reason: string
  constructor(message: string, position: Position) {
    super(`line ${position.line}, column ${position.column}: ${message}`)
    this.reason = message
    this.line = position.line
    this.column = position.column
  }
}

/** A path the way flagstage errors print it: `flags["new-checkout"].rules[2].if.op`. */
export const formatPath = (segments: readonly (string | number)[]): string => {
  let out = ''
  for (const s of segments) {
    out += typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? (out ? '.' : '') + s : `[${JSON.stringify(s)}]`
  }
  return out
}

const positionAt = (text: string, index: number): Position => {
  let line = 1
  let start = 0
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return { line, column: index - start + 1 }
}

/** Walks `text` as JSON; records where each path starts (the key, for object members). Throws JsonSyntaxError. */
const scan = (text: string, positions: Map<string, number> | undefined): void => {
  let i = 0
  const path: (string | number)[] = []
  const fail = (what: string, at = i): never => {
    const found = at >= text.length ? 'the end of the text' : JSON.stringify(text[at])
    throw new JsonSyntaxError(`expected ${what}, found ${found}`, positionAt(text, at))
  }
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const record = (at: number): void => {
    if (positions) {
      const key = formatPath(path)
      if (!positions.has(key)) positions.set(key, at)
    }
  }
  const string = (): string => {
    const start = i
    i++ // the opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 34) {
        i++
        return JSON.parse(text.slice(start, i)) as string
      }
      if (c < 32) fail('a closing quote (control characters must be escaped)')
      if (c === 92) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('4 hex digits after \\u', i + 2)
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)', i + 1)
      } else i++
    }
    return fail('a closing quote')
  }
  const value = (): void => {
    space()
    record(i)
    const c = text[i]
    if (c === '{') {
      i++
      space()
      if (text[i] === '}') return void i++
      for (;;) {
        space()
        if (text[i] !== '"') fail(text[i] === '}' ? 'a key (no trailing comma in JSON)' : 'a key in double quotes')
        const keyAt = i
        const key = string()
        space()
        if (text[i] !== ':') fail("':' after the key")
        i++
        path.push(key)
        record(keyAt)
        value()
        path.pop()
        space()
        if (text[i] === ',') i++
        else if (text[i] === '}') return void i++
        else fail("',' or '}'")
      }
    }
    if (c === '[') {
      i++
      space()
      if (text[i] === ']') return void i++
      for (let n = 0; ; n++) {
        path.push(n)
        space()
        if (text[i] === ']') fail('a value (no trailing comma in JSON)')
        value()
        path.pop()
        space()
        if (text[i] === ',') i++
        else if (text[i] === ']') return void i++
        else fail("',' or ']'")
      }
    }
    if (c === '"') return void string()
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))
    if (!literal) fail(c === '/' ? 'a value (JSON has no comments)' : c === "'" ? 'a value (strings take double quotes)' : 'a value')
    i += literal![0].length
  }
  value()
  space()
  if (i < text.length) fail('the end of the text (one JSON value per file)')
}

/** Parse strict JSON; a syntax error is a `JsonSyntaxError` with line and column. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    scan(text, undefined)
    throw error // the scanner found nothing: report JSON.parse's own message
  }
}

/** Where each JSON path of `text` starts (object members: at the key); for pointing at problems. */
export const locate = (text: string): ((path: string) => Position | undefined) => {
  const positions = new Map<string, number>()
  try {
    scan(text, positions)
  } catch {
    // locate() is only called on text that parsed
  }
  return (path) => {
    const at = positions.get(path)
    return at === undefined ? undefined : positionAt(text, at)
  }
}
