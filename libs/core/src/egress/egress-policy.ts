import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

type EgressEntry =
  | { kind: 'public' }
  | { kind: 'range'; range: [Address, number] }
  | { kind: 'host'; name: string; subdomains: boolean };

/** Ranges a named host may resolve to: anything else (loopback, link-local, ...) needs a CIDR entry. */
const NAMED_HOST_RANGES = new Set(['unicast', 'private', 'carrierGradeNat', 'uniqueLocal']);

/** Host names that are loopback by definition (RFC 6761), whatever a resolver says. */
const isLocalhostName = (name: string) => name === 'localhost' || name.endsWith('.localhost');

/**
 * Where a provider URL chosen by a tenant (not the operator's own `*_BASE_URL`) may connect:
 * `PROVIDER_ALLOWED_HOSTS`, a comma-separated list of
 * - `public`: any globally routable unicast address (the default);
 * - an address or CIDR (`10.20.0.0/16`, `fd00::/8`, `127.0.0.1`): addresses in it, whatever they are;
 * - a host name (`llm.corp.example`) or `*.corp.example` (its subdomains): that name when it resolves
 *   to a public or private address, never to loopback, link-local, metadata or reserved ones;
 * - `none` alone: no tenant-chosen endpoint at all.
 * Checked on every address a name resolves to when connecting, so a name that resolves elsewhere
 * later (DNS rebinding) gains nothing.
 */
export class EgressPolicy {
  private constructor(private readonly entries: readonly EgressEntry[]) {}

  /** Reads a PROVIDER_ALLOWED_HOSTS value; throws an Error naming the entry it cannot read. */
  static parse(value: string): EgressPolicy {
    const items = value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item !== '');
    if (items.length === 0) throw new Error('names no entry (use "none" to allow no tenant-chosen host)');
    if (items.includes('none')) {
      if (items.length > 1) throw new Error('"none" cannot be combined with other entries');
      return new EgressPolicy([]);
    }
    return new EgressPolicy(items.map(parseEntry));
  }

  static readonly DEFAULT = EgressPolicy.parse('public');

  /** Whether a connection to `address` made for the host name `hostname` may go out. */
  allowsAddress(hostname: string, address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.process(address);
    const range = parsed.range();
    const name = normaliseHost(hostname);
    return this.entries.some((entry) => {
      switch (entry.kind) {
        case 'range':
          return parsed.kind() === entry.range[0].kind() && parsed.match(entry.range);
        case 'public':
          return range === 'unicast';
        case 'host':
          return hostMatches(entry, name) && !isLocalhostName(name) && NAMED_HOST_RANGES.has(range);
      }
    });
  }

  /**
   * Why a URL is refused whatever its host resolves to, or null when it may be allowed: an address
   * is decided here, a name when no entry could let it through. Names are checked again, on their
   * resolved addresses, at every connection.
   */
  refusalOf(url: string): string | null {
    let hostname: string;
    try {
      hostname = normaliseHost(new URL(url).hostname);
    } catch {
      return 'it is not a URL';
    }
    const literal = isLocalhostName(hostname) ? '127.0.0.1' : ipaddr.isValid(hostname) ? hostname : null;
    if (literal !== null) {
      return this.allowsAddress(hostname, literal) ? null : `${hostname} is not an address it allows`;
    }
    const mayAllow = this.entries.some((entry) => entry.kind !== 'host' || hostMatches(entry, hostname));
    return mayAllow ? null : `${hostname} is not a host it allows`;
  }
}

function parseEntry(item: string): EgressEntry {
  if (item === 'public') return { kind: 'public' };
  if (item.includes('://')) throw new Error(`"${item}" is a URL: name its host`);
  if (item.includes('/')) {
    try {
      return { kind: 'range', range: ipaddr.parseCIDR(item) };
    } catch {
      throw new Error(`"${item}" is not a CIDR range`);
    }
  }
  const bare = normaliseHost(item);
  if (ipaddr.isValid(bare)) {
    const address = ipaddr.process(bare);
    return { kind: 'range', range: [address, address.kind() === 'ipv4' ? 32 : 128] };
  }
  const subdomains = bare.startsWith('*.');
  const name = subdomains ? bare.slice(2) : bare;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) {
    throw new Error(`"${item}" is not public, none, an address, a CIDR range or a host name`);
  }
  return { kind: 'host', name, subdomains };
}

function hostMatches(entry: Extract<EgressEntry, { kind: 'host' }>, hostname: string): boolean {
  return entry.subdomains ? hostname.endsWith(`.${entry.name}`) : hostname === entry.name;
}

/** Lower case, without IPv6 brackets or a trailing root dot. */
function normaliseHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}
