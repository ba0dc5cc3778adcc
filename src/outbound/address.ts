/**
 * IP addresses as bytes, CIDR ranges and the address classes the outbound policy refuses unless listed:
 * loopback, private, link-local (cloud metadata lives there), unspecified, multicast, reserved and the IPv6
 * forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4), classified by the address they embed.
 */

/** Parses a dotted IPv4 address (four decimal parts, as the URL parser normalizes every numeric form). */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** Parses an IPv6 address (brackets allowed, `::` compression, a trailing dotted IPv4, no zone). */
export function parseIpv6(text: string): Uint8Array | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (s.includes('%')) s = s.slice(0, s.indexOf('%'));
  if (!s.includes(':')) return null;
  const words: number[] = [];
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return null;
  if (halves.length === 1 && head.length !== 8) return null;
  if (halves.length === 2 && head.length + tail.length > 7) return null;
  words.push(...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail);
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** An IPv4 or IPv6 literal as bytes (4 or 16), or null for a host name. */
export function parseIp(text: string): Uint8Array | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** A CIDR range: the network bytes and the prefix length. */
export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a single address (full-length prefix); null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.split('/');
  if (extra !== undefined) return null;
  const bytes = parseIp(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (len === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(len) || Number(len) > max) return null;
  return { bytes, prefix: Number(len) };
}

/** True when `ip` lies in `range` (an IPv4 range also matches the IPv4-mapped IPv6 form of its addresses). */
export function inCidr(ip: Uint8Array, range: Cidr): boolean {
  const bytes = ip.length === 16 && range.bytes.length === 4 ? embeddedIpv4(ip) : ip;
  if (!bytes || bytes.length !== range.bytes.length) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}

const cidr = (text: string): Cidr => parseCidr(text)!;

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64 or 6to4), else null. */
export function embeddedIpv4(ip: Uint8Array): Uint8Array | null {
  if (ip.length !== 16) return null;
  if (inCidr(ip, cidr('::ffff:0:0/96')) || inCidr(ip, cidr('::/96')) || inCidr(ip, cidr('64:ff9b::/96'))) {
    // `::` and `::1` are themselves, not an embedded 0.0.0.0 / 0.0.0.1.
    if (inCidr(ip, cidr('::/127'))) return null;
    return ip.slice(12, 16);
  }
  if (inCidr(ip, cidr('2002::/16'))) return ip.slice(2, 6);
  return null;
}

/** Address classes the policy refuses unless the operator lists the destination. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'reserved';

const V4: Array<[string, AddressClass]> = [
  ['169.254.169.254/32', 'metadata'],
  ['100.100.100.200/32', 'metadata'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'private'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
].map(([c, k]) => [c, k as AddressClass]);
const V4_RANGES = V4.map(([c, k]) => [cidr(c), k] as const);

const V6_RANGES = (
  [
    ['fd00:ec2::254/128', 'metadata'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['fc00::/7', 'private'],
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'private'],
    ['ff00::/8', 'multicast'],
    ['100::/64', 'reserved'],
    ['2001:db8::/32', 'reserved'],
    // Forms whose IPv4 address a gateway may reach for us: local-use NAT64 (RFC 8215), Teredo (the client's address
    // inverted in the last 32 bits), and the rest of ::/8 (SIIT's ::ffff:0:a.b.c.d among them).
    ['64:ff9b:1::/48', 'reserved'],
    ['2001::/32', 'reserved'],
    ['::/8', 'reserved'],
  ] as const
).map(([c, k]) => [cidr(c), k as AddressClass] as const);

/** The class of an address (bytes from `parseIp`). */
export function classify(ip: Uint8Array): AddressClass {
  const v4 = ip.length === 4 ? ip : embeddedIpv4(ip);
  if (v4) return V4_RANGES.find(([r]) => inCidr(v4, r))?.[1] ?? 'public';
  return V6_RANGES.find(([r]) => inCidr(ip, r))?.[1] ?? 'public';
}
