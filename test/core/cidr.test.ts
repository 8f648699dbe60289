// The inCidr operator's address parser and prefix match (src/core/cidr.ts, in-cidr.ts), as a config
// author sees them: which blocks load (and the path of one that does not), and which addresses they hold.
// Written from the mutants of the rest group (npm run mutation:core) that the inCidr table in
// bucketing.test.ts left alive: prefixes that are not multiples of 8, both families at once, the
// edges of dotted quads, `::` and the prefix length.
import { describe, expect, it } from 'vitest'
import { createClient, inCidrOperator, isFlagstageError, registerOperators, validateConfig, type Config } from 'flagstage'

registerOperators(inCidrOperator)

const config = (values: string[]): Config => ({
  schemaVersion: 1, flags: { f: { enabled: true, rules: [{ if: { attr: 'ip', op: 'inCidr', values }, serve: 'on' }] } },
})
/** The problem validateConfig reports for one block, or undefined when it loads. */
const problem = (block: string): { code: string; path: string | undefined; message: string } | undefined => {
  try {
    validateConfig(config(['10.0.0.0/8', block]))
    return undefined
  } catch (error) {
    expect(isFlagstageError(error)).toBe(true) // never a TypeError from inside the parser
    const e = error as { code: string; path?: string; message: string }
    return { code: e.code, path: e.path, message: e.message }
  }
}
/** Which of `ips` the blocks hold, read through a client (never an evaluation error). */
const held = (blocks: string[], ips: unknown[]): unknown[] => {
  const client = createClient({ bootstrap: config(blocks) })
  const hits = ips.filter((ip) => {
    const x = client.forContext({ ip }).explain('f')
    expect(x.errorCode).toBeUndefined()
    expect(x.reason).toBe(x.value === true ? 'TARGETING_MATCH' : 'DEFAULT')
    return x.value === true
  })
  client.close()
  return hits
}

describe('inCidr blocks at validation', () => {
  it.each([
    '0.0.0.0', '255.255.255.255', '0.0.0.0/0', '10.0.0.0/32', '10.0.0.0/008', '1.2.3.4/9',
    '::', '::1', '1::', '::/0', '::1/128', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6::8', '1::8', 'ABCD:ef01::/16',
    '::ffff:1.2.3.4', '::ffff:1.2.3.4/120', '1:2:3:4:5:6:1.2.3.4',
  ])('accepts %s', (block) => {
    expect(problem(block)).toBeUndefined()
  })

  it.each([
    // dotted quads: four decimal parts, each 0..255 without a leading zero
    '256.0.0.1', '1.2.3.256', '1.2.3', '1.2.3.4.5', '1..2.3', '01.2.3.4', '1.2.3.04', ' 1.2.3.4', '1.2.3.4 ', '+1.2.3.4', '1.2.3.0x1', '1e2.2.3.4',
    // IPv6: eight groups of 1..4 hex digits, or fewer around one "::"
    '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4::5:6:7:8', '1::2::3', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '12345::', '::12345',
    'g::1', '::1g', '::-1', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3', '::1.2.3.256', 'zz::1', '1::zz', ':::',
    // the prefix: one to three digits, at most the address length
    '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/+8', '10.0.0.0/ 8', '10.0.0.0/8 ', '10.0.0.0/0008', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0.0/8.5',
    '', '/8',
  ])('rejects %j with the path of the block', (block) => {
    expect(problem(block)).toMatchObject({ code: 'INVALID_CONFIG', path: 'flags.f.rules[0].if.values[1]' })
    expect(problem(block)!.message).toContain('an IP address or CIDR block')
  })
})

describe('inCidr membership', () => {
  it('compares the first bits of a prefix that is not a multiple of 8', () => {
    expect(held(['10.0.0.0/9'], ['10.0.0.1', '10.127.255.255', '10.128.0.0', '10.255.0.1', '11.0.0.1', '138.0.0.1'])).toEqual(['10.0.0.1', '10.127.255.255'])
    expect(held(['192.168.2.0/23'], ['192.168.2.9', '192.168.3.255', '192.168.1.255', '192.168.4.0', '192.169.2.9'])).toEqual(['192.168.2.9', '192.168.3.255'])
    expect(held(['10.0.0.0/31'], ['10.0.0.0', '10.0.0.1', '10.0.0.2', '11.0.0.0'])).toEqual(['10.0.0.0', '10.0.0.1'])
    expect(held(['2001:db8::/33'], ['2001:db8::1', '2001:db8:7fff::1', '2001:db8:8000::1', '2001:db9::1', '2001:1db8::1'])).toEqual(['2001:db8::1', '2001:db8:7fff::1'])
    expect(held(['2001:db8:0:0:0:0:0:100/121'], ['2001:db8::100', '2001:db8::17f', '2001:db8::180', '2001:db8::1:100'])).toEqual(['2001:db8::100', '2001:db8::17f'])
  })

  it('compares every byte of a full-length block or a bare address', () => {
    expect(held(['10.1.2.3'], ['10.1.2.3', '10.1.2.4', '10.1.3.3', '10.2.2.3', '11.1.2.3'])).toEqual(['10.1.2.3'])
    expect(held(['10.1.2.3/32'], ['10.1.2.3', '10.1.2.2'])).toEqual(['10.1.2.3'])
    expect(held(['1:2:3:4:5:6:7:8'], ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:9', '0:2:3:4:5:6:7:8', '1:2:3:4:5:6:8:8', '1:2:3:4:5:6:0.7.0.8'])).toEqual(['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:0.7.0.8'])
  })

  it('reads a dotted quad at the end of an IPv6 address as its last two groups', () => {
    // ::ffff:1.2.3.4 is ::ffff:102:304; the last 32 bits are compared, not only the ::ffff:0:0/96 prefix.
    expect(held(['::ffff:102:304'], ['::ffff:1.2.3.4', '::ffff:1.2.3.5', '::ffff:1.2.4.4', '::ffff:2.2.3.4', '::ffff:102:304'])).toEqual(['::ffff:1.2.3.4', '::ffff:102:304'])
    expect(held(['::ffff:10.0.0.0/104'], ['::ffff:a01:203', '::ffff:10.255.0.1', '::ffff:11.0.0.1'])).toEqual(['::ffff:a01:203', '::ffff:10.255.0.1'])
    expect(held(['1:2:3:4:5:6:1.2.3.4'], ['1:2:3:4:5:6:102:304', '1:2:3:4:5:6:102:305'])).toEqual(['1:2:3:4:5:6:102:304'])
  })

  it('fills "::" with as many zero groups as the address lacks, wherever it stands', () => {
    expect(held(['::1'], ['0:0:0:0:0:0:0:1', '::1', '1::', '0:0:0:0:0:0:1:1'])).toEqual(['0:0:0:0:0:0:0:1', '::1'])
    expect(held(['1::'], ['1:0:0:0:0:0:0:0', '1::', '::1'])).toEqual(['1:0:0:0:0:0:0:0', '1::'])
    expect(held(['1:2::7:8'], ['1:2:0:0:0:0:7:8', '1:2::7:8', '1:2:7:8::', '1:2:0:0:0:7:8:0'])).toEqual(['1:2:0:0:0:0:7:8', '1:2::7:8'])
    expect(held(['1:2:3:4:5:6::8'], ['1:2:3:4:5:6:0:8', '1:2:3:4:5:6:8:0'])).toEqual(['1:2:3:4:5:6:0:8'])
  })

  it('reads hex groups in either case, with or without leading zeros', () => {
    expect(held(['2001:DB8::/32'], ['2001:0db8::1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:0DB9::'])).toEqual(['2001:0db8::1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'])
  })

  it('matches an address only against blocks of its own family', () => {
    // 32.1.13.184 is the bytes of 2001:db8::, and a00::1 starts with the byte 10.
    expect(held(['2001:db8::/32'], ['32.1.13.184', '2001:db8::'])).toEqual(['2001:db8::'])
    expect(held(['10.0.0.0/8'], ['a00::1', '::ffff:10.1.2.3', '10.1.2.3'])).toEqual(['10.1.2.3'])
    expect(held(['0.0.0.0/0'], ['1.2.3.4', '::1'])).toEqual(['1.2.3.4'])
    expect(held(['::/0'], ['1.2.3.4', '::1', 'ffff::'])).toEqual(['::1', 'ffff::'])
  })

  it('holds an address in any of the listed blocks', () => {
    expect(held(['10.0.0.0/8', '192.168.0.0/16', '::1'], ['10.9.9.9', '192.168.7.7', '::1', '172.16.0.1'])).toEqual(['10.9.9.9', '192.168.7.7', '::1'])
  })

  it('matches no block with an attribute that is a block, not an address, or not an address at all, and that is no error', () => {
    expect(held(['10.0.0.0/8', '::/0'], ['10.0.0.0/8', '10.0.0.0/31', '::1/127', '10.0.0.0/', 'nope', '', '10.1.2', 42, true, { ip: '10.1.2.3' }])).toEqual([])
    // A full-length prefix names one address: it is read as that address.
    expect(held(['10.0.0.0/8', '::/0'], ['10.0.0.0/32', '::1/128'])).toEqual(['10.0.0.0/32', '::1/128'])
    // A list attribute is held when any of its elements is.
    expect(held(['10.0.0.0/8'], [['1.2.3.4', '10.0.0.1'], ['1.2.3.4']])).toEqual([['1.2.3.4', '10.0.0.1']])
  })
})
