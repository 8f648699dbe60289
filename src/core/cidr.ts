/**
 * IPv4 / IPv6 addresses and CIDR blocks for the `inCidr` operator: parsed into bytes, compared by
 * prefix. Dependency-free; an address matches only blocks of its own family (`::ffff:1.2.3.4` is IPv6).
 */

/** A parsed address or block: its bytes (4 or 16) and prefix length in bits. */
export type Cidr = [bytes: number[], bits: number]

const v4 = (text: string): number[] | undefined => {
  const parts = text.split('.')
  return parts.length == 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && +p < 256) ? parts.map(Number) : undefined
}

// Hex groups, the last of which may be a dotted IPv4 address.
const groups = (text: string | undefined): number[] | undefined => {
  if (!text) return []
  const out: number[] = []
  for (const g of text.split(':')) {
    const b = g.includes('.') ? v4(g) : undefined
    if (b) out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!)
    else if (/^[\da-f]{1,4}$/i.test(g)) out.push(parseInt(g, 16))
    else return undefined
  }
  return out
}

const v6 = (text: string): number[] | undefined => {
  const [head, tail, extra] = text.split('::')
  const h = groups(head)
  const t = groups(tail)
  if (extra !== undefined || !h || !t) return undefined
  const fill = 8 - h.length - t.length
  if (tail === undefined ? fill : fill < 1) return undefined
  return [...h, ...new Array<number>(fill).fill(0), ...t].flatMap((g) => [g >> 8, g & 255])
}

/** Parse an address (`10.1.2.3`, `2001:db8::1`) or a block (`10.0.0.0/8`); undefined when invalid. */
export const parseCidr = (text: unknown): Cidr | undefined => {
  if (typeof text != 'string') return undefined
  const [address, prefix, extra] = text.split('/')
  const bytes = v4(address!) ?? v6(address!)
  const bits = prefix === undefined ? bytes && bytes.length * 8 : /^\d{1,3}$/.test(prefix) ? +prefix : NaN
  return bytes && extra === undefined && bits! <= bytes.length * 8 ? [bytes, bits!] : undefined
}

/** True when `address` (bytes) lies in `block`. */
export const inBlock = (address: number[], [bytes, bits]: Cidr): boolean =>
  address.length == bytes.length && bytes.every((b, i) => !((b ^ address[i]!) & (0xff00 >> Math.min(8, Math.max(0, bits - 8 * i))) & 0xff))
