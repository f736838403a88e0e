import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP address reaches, so the media fetcher can refuse everything but the public internet. IPv4 is
 * checked against the special-purpose registry; IPv6 is allowed only inside global unicast (2000::/3), and the
 * forms that carry an IPv4 address (mapped, NAT64, 6to4) are judged by the IPv4 address they lead to.
 */
export type AddressScope =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'invalid';

interface Ipv4Range {
  readonly base: number;
  readonly prefix: number;
  readonly scope: Exclude<AddressScope, 'public' | 'invalid'>;
}

const ipv4SpecialRanges: readonly Ipv4Range[] = [
  { base: ipv4ToNumber([0, 0, 0, 0]), prefix: 8, scope: 'unspecified' },
  { base: ipv4ToNumber([10, 0, 0, 0]), prefix: 8, scope: 'private' },
  { base: ipv4ToNumber([100, 64, 0, 0]), prefix: 10, scope: 'private' }, // carrier-grade NAT
  { base: ipv4ToNumber([127, 0, 0, 0]), prefix: 8, scope: 'loopback' },
  { base: ipv4ToNumber([169, 254, 0, 0]), prefix: 16, scope: 'link-local' }, // includes 169.254.169.254
  { base: ipv4ToNumber([172, 16, 0, 0]), prefix: 12, scope: 'private' },
  { base: ipv4ToNumber([192, 0, 0, 0]), prefix: 24, scope: 'reserved' },
  { base: ipv4ToNumber([192, 0, 2, 0]), prefix: 24, scope: 'reserved' },
  { base: ipv4ToNumber([192, 88, 99, 0]), prefix: 24, scope: 'reserved' },
  { base: ipv4ToNumber([192, 168, 0, 0]), prefix: 16, scope: 'private' },
  { base: ipv4ToNumber([198, 18, 0, 0]), prefix: 15, scope: 'reserved' },
  { base: ipv4ToNumber([198, 51, 100, 0]), prefix: 24, scope: 'reserved' },
  { base: ipv4ToNumber([203, 0, 113, 0]), prefix: 24, scope: 'reserved' },
  { base: ipv4ToNumber([224, 0, 0, 0]), prefix: 4, scope: 'multicast' },
  { base: ipv4ToNumber([240, 0, 0, 0]), prefix: 4, scope: 'reserved' }, // includes 255.255.255.255
];

/** The scope of a textual IP address as a resolver or a URL gives it (an IPv6 zone suffix is ignored). */
export function addressScope(address: string): AddressScope {
  if (isIPv4(address)) return ipv4Scope(address.split('.').map(Number));
  const withoutZone = address.replace(/%.*$/, '');
  if (isIPv6(withoutZone)) return ipv6Scope(parseIpv6(withoutZone));
  return 'invalid';
}

function ipv4Scope(octets: readonly number[]): AddressScope {
  const value = ipv4ToNumber(octets);
  for (const range of ipv4SpecialRanges) {
    const mask = (~0 << (32 - range.prefix)) >>> 0;
    if (((value & mask) >>> 0) === range.base) return range.scope;
  }
  return 'public';
}

function ipv6Scope(bytes: Uint8Array): AddressScope {
  const startsWith = (prefix: readonly number[]) => prefix.every((byte, index) => bytes[index] === byte);
  const zeros = (count: number) => new Array<number>(count).fill(0);
  const embeddedIpv4 = (offset: number) => ipv4Scope([...bytes.subarray(offset, offset + 4)]);

  if (startsWith(zeros(16))) return 'unspecified';
  if (startsWith([...zeros(15), 1])) return 'loopback';
  if (startsWith([...zeros(10), 0xff, 0xff])) return embeddedIpv4(12); // ::ffff:a.b.c.d (IPv4-mapped)
  if (startsWith(zeros(12))) return 'reserved'; // ::a.b.c.d (deprecated IPv4-compatible)
  if (startsWith([0x00, 0x64, 0xff, 0x9b, ...zeros(8)])) return embeddedIpv4(12); // 64:ff9b::/96 (NAT64)
  if (startsWith([0x20, 0x02])) return embeddedIpv4(2); // 2002::/16 (6to4)
  const first = bytes[0]!;
  const second = bytes[1]!;
  if (first === 0xff) return 'multicast';
  if ((first & 0xfe) === 0xfc) return 'unique-local'; // fc00::/7
  if (first === 0xfe && (second & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (first === 0xfe && (second & 0xc0) === 0xc0) return 'private'; // fec0::/10 (deprecated site-local)
  if ((first & 0xe0) !== 0x20) return 'reserved'; // outside global unicast 2000::/3
  if (first === 0x20 && second === 0x01 && (bytes[2]! & 0xfe) === 0x00) return 'reserved'; // 2001::/23 incl. Teredo
  if (startsWith([0x20, 0x01, 0x0d, 0xb8])) return 'reserved'; // documentation
  return 'public';
}

function ipv4ToNumber(octets: readonly number[]): number {
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

/** Expands a valid IPv6 address (as `net.isIPv6` accepts it) into its 16 bytes. */
function parseIpv6(address: string): Uint8Array {
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) is the same as two hex groups (`::ffff:7f00:1`).
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_match, a: string, b: string, c: string, d: string) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((group) => group.toString(16)).join(':'),
  );
  const [head = '', tail] = text.split('::');
  const parseGroups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const headGroups = parseGroups(head);
  const tailGroups = tail === undefined ? [] : parseGroups(tail);
  const groups = [...headGroups, ...new Array<number>(8 - headGroups.length - tailGroups.length).fill(0), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}
