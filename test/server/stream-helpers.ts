// Reading server-sent events off a Response body or a socket, for the streamHandler tests.
import type { Config } from 'flagstage'

export interface Frame {
  event?: string
  id?: string
  data?: string
  retry?: string
  /** A `:` comment line (heartbeat). */
  comment?: string
}

/** One `\n\n`-terminated block of an event stream, field by field. */
export const parseFrame = (block: string): Frame => {
  const frame: Frame = {}
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1)
    const at = line.indexOf(':')
    if (at <= 0) continue
    const field = line.slice(0, at) as keyof Frame
    frame[field] = line.slice(at + 1).replace(/^ /, '')
  }
  return frame
}

export interface Framer { frames: Frame[]; feed(text: string): void }

/** Collects frames from a stream of text chunks. */
export const framer = (): Framer => {
  let buffer = ''
  const frames: Frame[] = []
  return {
    frames,
    feed(text: string): void {
      buffer += text
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        frames.push(parseFrame(buffer.slice(0, end)))
        buffer = buffer.slice(end + 2)
      }
    },
  }
}

export interface FrameReader {
  frames: Frame[]
  readonly done: boolean
  /** Read until `n` frames have arrived in all (or the stream ends). */
  until(n: number): Promise<Frame[]>
  /** Read one chunk (whatever is ready); false at the end. */
  next(): Promise<boolean>
  cancel(): Promise<void>
}

/** Reads a Response body frame by frame. */
export const reader = (response: Response): FrameReader => {
  const r = response.body!.getReader()
  const decoder = new TextDecoder()
  const f = framer()
  let done = false
  return {
    frames: f.frames,
    get done(): boolean { return done },
    /** Read until `n` frames have arrived in all (or the stream ends). */
    async until(n: number): Promise<Frame[]> {
      while (f.frames.length < n && !done) {
        const chunk = await r.read()
        if (chunk.done) done = true
        else f.feed(decoder.decode(chunk.value, { stream: true }))
      }
      return f.frames
    },
    /** Read one chunk (whatever is ready). */
    async next(): Promise<boolean> {
      const chunk = await r.read()
      if (chunk.done) done = true
      else f.feed(decoder.decode(chunk.value, { stream: true }))
      return !chunk.done
    },
    cancel: (): Promise<void> => r.cancel(),
  }
}

/** Frames that carry documents (not `retry:` or comments). */
export const events = (frames: Frame[]): Frame[] => frames.filter((f) => f.event)

export const SECRET = 'alice.secret@corp.example'

/** A config with a segment holding personal data, a targeting rule and a few plain flags. */
export const config = (revision: string, flags: Config['flags'] = {}): Config => ({
  schemaVersion: 1,
  revision,
  segments: { staff: { attr: 'email', op: 'in', values: [SECRET] } },
  flags: {
    beta: { enabled: true, rules: [{ if: { segment: 'staff' }, serve: 'on' }] },
    button: { enabled: true, variants: { control: 'blue', treatment: 'green' }, offVariant: 'control', rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'treatment' }] },
    ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`plain-${i}`, { enabled: i % 2 === 0 }])),
    ...flags,
  },
})
