import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { FeedBlockedAddressError, FeedNetworkError, FeedUnsupportedUrlError } from '../errors.ts';

/*
 * The SSRF guard. A feed URL comes from a chat user, so it must not reach the bot's own host,
 * its network, or a cloud metadata endpoint. Only public unicast addresses pass: an allow-list
 * of one range is harder to get wrong than a deny-list of a dozen (ipaddr.js `range()` names
 * loopback, private, linkLocal (169.254.169.254 among them), uniqueLocal, carrierGradeNat,
 * unspecified, multicast, reserved, and the IPv6 forms that embed IPv4).
 */

/** ipaddr.js's name for an address's range; IPv4-mapped IPv6 is judged as the IPv4 it carries. */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range();
  }
  return parsed.range();
}

export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && addressRange(address) === 'unicast';
}

/** Only http and https; anything else (ftp:, file:, data:) is refused before any I/O. */
export function parseFeedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FeedUnsupportedUrlError(raw, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedUnsupportedUrlError(
      raw,
      `the ${url.protocol.replace(/:$/, '')} scheme is not supported, only http and https`,
    );
  }
  return url;
}

function hostOf(url: URL): string {
  // new URL keeps IPv6 literals bracketed.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });
}

/**
 * Refuses a URL whose host is, or resolves to, a non-public address. Every address a name
 * resolves to must pass: a name with one public and one private address is refused.
 */
export async function assertPublicHost(url: URL): Promise<void> {
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolveAll(host)).map((entry) => entry.address);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new FeedNetworkError(
        url.href,
        `cannot resolve ${host}${typeof code === 'string' ? ` (${code})` : ''}`,
        { cause: error },
      );
    }
  }
  for (const address of addresses) {
    if (!isPublicAddress(address))
      throw new FeedBlockedAddressError(
        url.href,
        address,
        ipaddr.isValid(address) ? addressRange(address) : 'invalid',
      );
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the socket itself. The check above runs before the request, but DNS may answer
 * differently a moment later (rebinding); this one vets the very addresses the socket connects to.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    if (blocked) {
      const refusal = new FeedBlockedAddressError(
        `http://${hostname}/`,
        blocked.address,
        addressRange(blocked.address),
      ) as Error as NodeJS.ErrnoException;
      return callback(refusal, []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    return callback(null, first.address, first.family);
  });
}
