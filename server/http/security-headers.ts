// Headers on every answer of the custom server (API, files, Socket.IO's long-polling and the
// pages), and the pages' Content-Security-Policy: a fresh nonce per page, which Next.js puts on
// its own scripts (it reads the nonce from the request's Content-Security-Policy header) and the
// layout on the theme script.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const EVERYWHERE = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  // Komnata uses none of these; a page that is ever tricked into running script cannot either
  "permissions-policy":
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()",
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(EVERYWHERE)) res.setHeader(name, value);
}

/** The request header through which the nonce reaches the layout (app/layout.tsx). */
export const NONCE_HEADER = "x-komnata-nonce";

/**
 * A page's policy: scripts only with this request's nonce (and what they load, 'strict-dynamic'),
 * everything else from this origin only, nothing framed, no plugins. Style attributes stay
 * allowed: React sets them (sizes, colours) and they cannot run code. Development mode also needs
 * eval for Next.js's fast refresh.
 */
export function pageCsp(nonce: string, { dev, https }: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    // the service worker (public/sw.js): 'strict-dynamic' would otherwise leave no source for it
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Prepares a page request: a nonce for the layout and Next.js, and the policy on the answer. */
export function protectPage(req: IncomingMessage, res: ServerResponse, options: { dev: boolean; https: boolean }): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = pageCsp(nonce, options);
  // never a client's own copy of either header
  req.headers[NONCE_HEADER] = nonce;
  req.headers["content-security-policy"] = csp;
  res.setHeader("content-security-policy", csp);
}

/** False for a path a decoder would choke on (`/messages/%E0%A4%A`): it gets 400, not a 500 from deep inside. */
export function isWellFormedPath(url: string | undefined): boolean {
  const pathname = (url ?? "/").split("?")[0];
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
