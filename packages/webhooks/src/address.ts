import ipaddr from 'ipaddr.js';

/** What receivers may be: production allows only https to public unicast addresses. */
export interface ReceiverPolicy {
  /** Development and tests: http, and loopback addresses, are allowed too (never private or metadata ones). */
  allowLoopback: boolean;
}

/**
 * Whether a receiver may be reached at this address. Only public unicast is
 * allowed: loopback, private, link-local (169.254.169.254 is the cloud
 * metadata service), unique-local, carrier-grade NAT (100.100.100.200 is
 * Alibaba Cloud's), multicast, broadcast, unspecified and reserved ranges are
 * not. An IPv4-mapped IPv6 address is judged as the IPv4 it carries; the other
 * forms that embed an IPv4 (IPv4-compatible ::a.b.c.d, NAT64, 6to4, Teredo)
 * are refused whole, since what they reach depends on the network's gateways.
 */
export function addressAllowed(address: string, policy: ReceiverPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'loopback') return policy.allowLoopback;
  if (range !== 'unicast') return false;
  // ipaddr.js calls ::a.b.c.d (IPv4-compatible, deprecated) unicast.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return false;
  return true;
}

/** The host of a URL as an address, when it is one (WHATWG URL has already turned 0x7f.1 or 2130706433 into 127.0.0.1). */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare) ? bare : null;
}

/**
 * Why a receiver URL is refused at subscription, or null. A name is judged
 * at each delivery, by what it resolves to then; an address is judged here
 * already, in the normalised form the URL parser gives it.
 */
export function receiverUrlProblem(value: string, policy: ReceiverPolicy): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(policy.allowLoopback && url.protocol === 'http:')) return 'must be an https URL';
  if (url.username || url.password) return 'must not carry credentials';
  const literal = literalAddress(url.hostname);
  if (literal && !addressAllowed(literal, policy)) return 'must not point to a loopback, private, link-local or other non-public address';
  return null;
}

/** The address to connect to for a host name, as a resolver gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
