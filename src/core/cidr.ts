/**
 * IPv4 / IPv6 addresses and CIDR blocks for the `inCidr` operator: parsed into bytes, compared by
 * prefix. Dependency-free; an address matches only blocks of its own family (`::ffff:1.2.3.4` is IPv6).
 */

/** A parsed block: address bytes (4 or 16) and prefix length in bits. */
export interface Cidr {
  bytes: number[]
  bits: number
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

const v4 = (text: string): number[] | undefined => {
  const m = V4.exec(text)
  if (!m) return undefined
  const bytes = m.slice(1).map(Number)
  return bytes.every((b, i) => b < 256 && (m[i + 1]!.length === 1 || m[i + 1]![0] !== '0')) ? bytes : undefined
}

const v6 = (text: string): number[] | undefined => {
  const zone = text.indexOf('%')
  if (zone >= 0) text = text.slice(0, zone)
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (part: string): number[] | undefined => {
    if (part === '') return []
    const out: number[] = []
    const items = part.split(':')
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!
      if (i === items.length - 1 && item.includes('.')) {
        const tail = v4(item)
        if (!tail) return undefined
        out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!)
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) out.push(parseInt(item, 16))
      else return undefined
    }
    return out
  }
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  if (!head || !tail) return undefined
  const fill = 8 - head.length - tail.length
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail]
  return all.flatMap((g) => [g >> 8, g & 255])
}

/** Parse an address (`10.1.2.3`, `2001:db8::1`) or a block (`10.0.0.0/8`); undefined when invalid. */
export const parseCidr = (text: unknown): Cidr | undefined => {
  if (typeof text !== 'string') return undefined
  const slash = text.indexOf('/')
  const address = slash < 0 ? text : text.slice(0, slash)
  const bytes = v4(address) ?? v6(address)
  if (!bytes) return undefined
  const max = bytes.length * 8
  if (slash < 0) return { bytes, bits: max }
  const prefix = text.slice(slash + 1)
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN
  return bits <= max ? { bytes, bits } : undefined
}

/** True when `address` (bytes) lies in `block`. */
export const inBlock = (address: number[], block: Cidr): boolean => {
  if (address.length !== block.bytes.length) return false
  for (let bit = 0; bit < block.bits; bit += 8) {
    const left = Math.min(8, block.bits - bit)
    const mask = (0xff << (8 - left)) & 0xff
    const i = bit >> 3
    if ((address[i]! & mask) !== (block.bytes[i]! & mask)) return false
  }
  return true
}
