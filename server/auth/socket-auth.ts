// The Socket.IO handshake check. A browser brings next-auth's session cookie, and must come
// from an allowed origin (a cookie rides along with any page's request, so the origin is what
// tells our pages from someone else's). Any other client brings `auth: { token }` from
// POST /api/token and may come from anywhere.
import type { ExtendedError } from "socket.io";
import type { UserService } from "../services/users.ts";
import type { KomnataSocket } from "../realtime/context.ts";
import { parseCookies, readToken, sessionCookieName } from "./tokens.ts";

export interface SocketAuthOptions {
  secret: string;
  publicUrl: string;
  allowedOrigins: string[];
  users: UserService;
}

function refuse(code: "unauthorized" | "forbidden", message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code, message };
  return error;
}

export function isAllowedOrigin(origin: string, host: string | undefined, options: SocketAuthOptions): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && url.host === host) return true;
  return url.origin === new URL(options.publicUrl).origin || options.allowedOrigins.includes(url.origin);
}

export function socketAuth(options: SocketAuthOptions) {
  const cookieName = sessionCookieName(options.publicUrl);
  return async (socket: KomnataSocket, next: (error?: ExtendedError) => void): Promise<void> => {
    try {
      const { auth, headers } = socket.handshake;
      const bearer = typeof auth?.token === "string" && auth.token !== "" ? auth.token : null;
      let token = bearer;
      if (!token) {
        token = parseCookies(headers.cookie).get(cookieName) ?? null;
        const origin = headers.origin;
        if (token && (!origin || !isAllowedOrigin(origin, headers.host, options))) {
          return next(refuse("forbidden", "This origin may not open a session: set ALLOWED_ORIGINS to allow it."));
        }
      }
      const claimed = token ? await readToken(token, options.secret) : null;
      // The account must still exist (a token outlives a deleted user or a reset database).
      const user = claimed ? await options.users.findById(claimed.id) : null;
      if (!user) return next(refuse("unauthorized", "Sign in first: no valid session or token."));
      socket.data.user = user;
      next();
    } catch (error) {
      next(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
