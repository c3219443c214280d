// Where an outgoing webhook may POST: a public address. The server must not be made to reach
// itself or its private network (cloud metadata at 169.254.169.254, a database on 10.0.0.5) by
// whoever can make a webhook. The check runs on every address a name resolves to, at the moment
// of connecting (a name that resolved publicly when the webhook was made can point inward later).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv6");
}

/** Whether `address` (an IP) is on the public internet. An IPv4-mapped IPv6 address is judged as its IPv4. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !PRIVATE.check(mapped[1], "ipv4");
  const kind = isIP(address);
  if (kind === 0) return false;
  return !PRIVATE.check(address, kind === 4 ? "ipv4" : "ipv6");
}

export class PrivateAddressError extends Error {
  constructor(host: string) {
    super(
      `${host} is a private or local address: outgoing webhooks go to public addresses (WEBHOOK_ALLOW_PRIVATE=true allows others)`,
    );
    this.name = "PrivateAddressError";
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves as usual and drops every private address, failing
 * when none is left. `allowPrivate` keeps them all (tests, an intranet's own tools).
 */
export function publicLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const usable = allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) return callback(new PrivateAddressError(hostname), []);
      if (options.all) return callback(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}

/** Whether a URL may be an outgoing webhook's target, as far as can be told without resolving it. */
export function checkTarget(url: URL, allowPrivate: boolean): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("an outgoing webhook's URL is http or https");
  if (url.username || url.password) throw new Error("an outgoing webhook's URL carries no password");
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) throw new PrivateAddressError(host);
  // an address written out is never looked up: check it here
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new PrivateAddressError(host);
}
