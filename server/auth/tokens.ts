// Session tokens. Browsers carry next-auth's session cookie; other clients get a token from
// POST /api/token. Both are next-auth JWTs (encrypted with the same secret), so one check
// serves the Socket.IO handshake whichever way a client signed in.
import { decode, encode } from "next-auth/jwt";
import type { PublicUser } from "../protocol/index.ts";

export const TOKEN_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

export async function issueToken(user: PublicUser, secret: string): Promise<string> {
  return encode({ token: { sub: user.id, name: user.username }, secret, maxAge: TOKEN_MAX_AGE_SECONDS });
}

/** The user a token names, or null when it is missing, forged, or expired. */
export async function readToken(token: string, secret: string): Promise<PublicUser | null> {
  try {
    const payload = await decode({ token, secret });
    if (!payload || typeof payload.sub !== "string" || typeof payload.name !== "string") return null;
    return { id: payload.sub, username: payload.name };
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
