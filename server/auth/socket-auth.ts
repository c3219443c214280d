// The Socket.IO handshake check. A browser brings next-auth's session cookie, and must come
// from an allowed origin (a cookie rides along with any page's request, so the origin is what
// tells our pages from someone else's). Any other client brings `auth: { token }` from
// POST /api/token and may come from anywhere. The HTTP API authenticates the same way.
import type { ExtendedError } from "socket.io";
import type { Logger } from "../log.ts";
import type { ErrorCode, PublicUser } from "../protocol/index.ts";
import type { KomnataSocket } from "../realtime/context.ts";
import { AppError, toErrorBody } from "../services/errors.ts";
import type { ApiTokenService } from "../services/integrations/api-tokens.ts";
import type { SessionService } from "../services/sessions.ts";
import { API_TOKEN_PREFIX, apiTokenSid, parseCookies, readToken, type SessionClaim, sessionCookieName } from "./tokens.ts";

export interface SocketAuthOptions {
  secret: string;
  publicUrl: string;
  allowedOrigins: string[];
  sessions: SessionService;
  /** API tokens ("kmn_…"): bots' and people's scripts */
  apiTokens: Pick<ApiTokenService, "check">;
}

/** A request's user, and the session its credentials belong to. */
export interface Authenticated {
  user: PublicUser;
  claim: SessionClaim;
  /** an API token limited to these rooms; null: not limited (every other credential) */
  roomIds: string[] | null;
}

function refuse(code: ErrorCode, message: string): ExtendedError {
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

/**
 * The user a request speaks for: its bearer token, else the session cookie. With a cookie, the
 * request must come from an allowed origin when `checkOrigin` says so. Throws unauthorized (no
 * token, a forged or expired one, a signed-out session, a deleted account) or forbidden.
 */
export async function authenticate(
  options: SocketAuthOptions,
  request: { bearer: string | null; cookie: string | undefined; origin: string | undefined; host: string | undefined },
  checkOrigin: boolean,
): Promise<Authenticated> {
  let token = request.bearer;
  if (token?.startsWith(API_TOKEN_PREFIX)) {
    const grant = await options.apiTokens.check(token);
    if (!grant) throw new AppError("unauthorized", "This API token is not valid: it was revoked, or never existed.");
    return { user: grant.user, claim: { user: grant.user, sid: apiTokenSid(grant.tokenId) }, roomIds: grant.roomIds };
  }
  if (!token) {
    token = parseCookies(request.cookie).get(sessionCookieName(options.publicUrl)) ?? null;
    const { origin } = request;
    if (token && checkOrigin && (!origin || !isAllowedOrigin(origin, request.host, options))) {
      throw new AppError("forbidden", "This origin may not use your session: set ALLOWED_ORIGINS to allow it.");
    }
  }
  const claim = token ? await readToken(token, options.secret) : null;
  // the account must still exist (a token outlives a deleted user or a reset database), and the
  // session must not have been signed out
  const user = claim ? await options.sessions.check(claim) : null;
  if (!claim || !user) throw new AppError("unauthorized", "Sign in first: no valid session or token.");
  return { user, claim, roomIds: null };
}

export function socketAuth(options: SocketAuthOptions, log: Logger) {
  return async (socket: KomnataSocket, next: (error?: ExtendedError) => void): Promise<void> => {
    try {
      const { auth, headers } = socket.handshake;
      const bearer = typeof auth?.token === "string" && auth.token !== "" ? auth.token : null;
      const { user, claim, roomIds } = await authenticate(
        options,
        { bearer, cookie: headers.cookie, origin: headers.origin, host: headers.host },
        true,
      );
      socket.data.user = user;
      socket.data.sid = claim.sid;
      socket.data.authTime = claim.authTime;
      // only on the few connections that have one: every idle connection pays for each field
      if (roomIds) socket.data.roomScope = roomIds;
      next();
    } catch (error) {
      if (error instanceof AppError && (error.code === "unauthorized" || error.code === "forbidden")) {
        next(refuse(error.code, error.message));
        return;
      }
      // a database that cannot be reached, say: the client learns that it may retry, in words
      // (`unavailable` when the database is away, else `internal`), never the error itself
      log.error({ err: error }, "could not authenticate a socket");
      const { code } = toErrorBody(error);
      next(
        refuse(
          code,
          code === "unavailable"
            ? "The server cannot reach its database right now. Please retry in a moment."
            : "The server could not check your session. Please retry in a moment.",
        ),
      );
    }
  };
}
