import dns from 'node:dns';
import net from 'node:net';

/** Where a webhook may not point unless WEBHOOK_ALLOW_PRIVATE is set: the inside of our network. */
const privateRanges = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  privateRanges.addSubnet(prefix, bits, 'ipv6');
}

/** Whether an address is loopback, private, link-local, unspecified or multicast (IPv4-mapped too). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return privateRanges.check(mapped[1], 'ipv4');
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  return family === undefined || privateRanges.check(address, family);
}

export interface AddressRules {
  allowPrivate: boolean;
  /** host[:port] of the server itself (the request's Host, ALLOWED_ORIGINS): never a webhook's target. */
  selfHosts: string[];
}

/** Every address a host name has: an IP literal is its own. */
async function addressesOf(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return [bare];
  const found = await dns.promises.lookup(bare, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** Why a webhook cannot call `raw`, or null when it can: checked at creation and at each delivery. */
export async function webhookUrlProblem(raw: string, rules: AddressRules): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const self = rules.selfHosts.map((h) => h.toLowerCase());
  if (self.includes(url.host.toLowerCase()) || self.includes(`${url.hostname.toLowerCase()}:${port}`)) {
    return 'must not point at this server';
  }
  let addresses: string[];
  try {
    addresses = await addressesOf(url.hostname);
  } catch {
    return 'names a host that does not resolve';
  }
  if (addresses.length === 0) return 'names a host that does not resolve';
  if (!rules.allowPrivate && addresses.some(isPrivateAddress)) {
    return 'must not point at a private, loopback or link-local address';
  }
  return null;
}

/**
 * A `lookup` for http.request that refuses private addresses at connection time as well, so a name
 * that resolved to a public address at the check cannot be switched to an inside one (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, found) => {
      if (err) {
        callback(err, '', 4);
        return;
      }
      const list = found;
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        callback(new Error('the host resolves to a private address'), '', 4);
        return;
      }
      const first = list[0];
      if (!first) {
        callback(new Error('the host does not resolve'), '', 4);
        return;
      }
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      else callback(null, first.address, first.family);
    });
  };
}
