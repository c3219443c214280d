// Session tokens. Browsers carry next-auth's session cookie; other clients get a token from
// POST /api/token. Both are next-auth JWTs (encrypted with the same secret), so one check
// serves the Socket.IO handshake and the HTTP API whichever way a client signed in. Each names
// its session (`sid`, kept through next-auth's renewals) and when it signed in (`auth_time`), so
// one session, or every session of a user, can be revoked (server/services/sessions.ts).
import { randomUUID } from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import type { PublicUser } from "../protocol/index.ts";

/** API tokens (bots, the terminal client): long-lived, revocable. */
export const TOKEN_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** Browser sessions: two weeks, renewed as they are used (next-auth's sliding expiry). */
export const BROWSER_SESSION_MAX_AGE_SECONDS = 14 * 24 * 60 * 60;

/** Who a token speaks for and which session it belongs to. */
export interface SessionClaim {
  user: PublicUser;
  /** the session's id; absent in tokens issued before sessions had one */
  sid?: string;
  /** when the session signed in, in seconds since the epoch */
  authTime?: number;
  /** when the token expires, in seconds since the epoch */
  expiresAt?: number;
}

/** What a new session's token carries beside the user: its id and its sign-in time. */
export function newSessionFields(): { sid: string; auth_time: number } {
  // a NumericDate may have a fraction: milliseconds tell a sign-in from a revocation in the same second
  return { sid: randomUUID(), auth_time: Date.now() / 1000 };
}

export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

export async function issueToken(user: PublicUser, secret: string): Promise<string> {
  return encode({ token: { sub: user.id, name: user.username, ...newSessionFields() }, secret, maxAge: TOKEN_MAX_AGE_SECONDS });
}

/** The claim of a token, or null when it is missing, forged, or expired. */
export async function readToken(token: string, secret: string): Promise<SessionClaim | null> {
  try {
    const payload = await decode({ token, secret });
    if (!payload || typeof payload.sub !== "string" || typeof payload.name !== "string") return null;
    return {
      user: { id: payload.sub, username: payload.name },
      sid: typeof payload.sid === "string" ? payload.sid : undefined,
      authTime: typeof payload.auth_time === "number" ? payload.auth_time : undefined,
      expiresAt: typeof payload.exp === "number" ? payload.exp : undefined,
    };
  } catch {
    return null;
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a malformed cookie from some other app on this host: not ours, skip it
    }
  }
  return cookies;
}

/** API tokens (server/services/integrations/api-tokens.ts) start with this, so they are told from session tokens at a glance. */
export const API_TOKEN_PREFIX = "kmn_";

/** An API token's session id: connections and requests made with it are ended and checked by it. */
export const apiTokenSid = (tokenId: string) => `token:${tokenId}`;

/** The API token a session id names, or null for a password or browser session. */
export const apiTokenIdOf = (sid: string | undefined): string | null =>
  sid?.startsWith("token:") ? sid.slice("token:".length) : null;
