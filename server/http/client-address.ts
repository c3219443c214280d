import type { IncomingMessage } from "node:http";

/**
 * The address a request came from. Behind `trustedHops` reverse proxies the client is the entry
 * that many places from the right of `X-Forwarded-For`: each proxy appends the address it saw,
 * so entries further left were written by the client itself and prove nothing.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const direct = req.socket?.remoteAddress ?? "unknown";
  const header = req.headers["x-forwarded-for"];
  if (trustedHops === 0 || header === undefined) return direct;
  const entries = (Array.isArray(header) ? header.join(",") : header)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[entries.length - trustedHops] ?? direct;
}
