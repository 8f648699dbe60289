import { inBlock, parseCidr } from './cidr.ts'
import type { OptionalOperator } from './operators.ts'
import { expect } from './validate-walk.ts'

/**
 * The `inCidr` operator (IPv4 / IPv6 addresses and CIDR blocks, see cidr.ts), opt-in:
 * `registerOperators(inCidrOperator)`.
 * @example
 * registerOperators(inCidrOperator) // then { "attr": "ip", "op": "inCidr", "values": ["10.0.0.0/8"] } loads
 */
export const inCidrOperator: OptionalOperator = {
  op: 'inCidr',
  check: (v) => parseCidr(v) || expect('an IP address or CIDR block like 10.0.0.0/8', v),
  compile: (c) => {
    const blocks = (c.values ?? []).map(parseCidr).filter((b) => b !== undefined)
    return (v) => {
      const address = parseCidr(v)
      return address !== undefined && address[1] === address[0].length * 8 && blocks.some((b) => inBlock(address[0], b))
    }
  },
}
