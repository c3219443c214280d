// next-auth for the browser: a credentials sign-in whose check is the server's UserService
// (reached through the auth bridge), and a JWT session cookie that the Socket.IO handshake
// reads too (server/auth/socket-auth.ts).
import type { NextAuthOptions } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { CLIENT_ADDRESS_HEADER, serverBridge } from "../bridge.ts";
import { DEACTIVATED } from "../protocol/errors.ts";
import { BROWSER_SESSION_MAX_AGE_SECONDS, newSessionFields, type SessionClaim } from "./tokens.ts";

class SessionEnded extends Error {
  override name = "SessionEnded";
}

/** The claim a next-auth token makes (server/auth/tokens.ts). */
function claimOf(token: JWT): SessionClaim | null {
  if (typeof token.sub !== "string" || typeof token.name !== "string") return null;
  return {
    user: { id: token.sub, username: token.name },
    sid: typeof token.sid === "string" ? token.sid : undefined,
    authTime: typeof token.auth_time === "number" ? token.auth_time : undefined,
    expiresAt: typeof token.exp === "number" ? token.exp : undefined,
  };
}

/** Prefix of the sign-in error that the auth route turns into HTTP 429. */
export const RATE_LIMITED_PREFIX = "RateLimited:";

export function authOptions(): NextAuthOptions {
  return {
    // set by server/app.ts from the validated configuration before Next.js starts
    secret: process.env.NEXTAUTH_SECRET,
    // renewed as it is used (once a day at most), so only an unused session runs out
    session: { strategy: "jwt", maxAge: BROWSER_SESSION_MAX_AGE_SECONDS, updateAge: 24 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Komnata",
        credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const header = req.headers?.[CLIENT_ADDRESS_HEADER];
          const address = typeof header === "string" ? header : "unknown";
          try {
            const user = await serverBridge().verifyCredentials(
              { username: credentials?.username, password: credentials?.password },
              address,
            );
            return { id: user.id, name: user.username };
          } catch (error) {
            const { code, message, retryAfter } = error as { code?: string; message: string; retryAfter?: number };
            if (code === "rate_limited") throw new Error(`${RATE_LIMITED_PREFIX}${retryAfter ?? 60}:${message}`);
            if (code === "unauthorized" || code === "invalid_input") return null;
            // the sign-in page says so, rather than "wrong password"
            if (code === "forbidden") throw new Error(DEACTIVATED);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          // a new session: its id and sign-in time stay the same through every renewal
          Object.assign(token, { sub: user.id, name: user.name, ...newSessionFields() });
          return token;
        }
        // every read of the session: a signed-out session is dropped (next-auth then clears the
        // cookie, /api/auth/session answers {} and the pages send the visitor to sign in)
        const claim = claimOf(token);
        if (!claim || !(await serverBridge().checkSession(claim))) throw new SessionEnded();
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", name: token.name ?? "" };
        return session;
      },
    },
    events: {
      // "Sign out" ends this session for good, not just its cookie in this browser
      async signOut({ token }) {
        const claim = token ? claimOf(token) : null;
        if (claim) await serverBridge().revokeSession(claim);
      },
    },
    logger: {
      error(code, metadata) {
        // a signed-out session read again is expected, not an error
        if (code === "JWT_SESSION_ERROR" && (metadata as { name?: string })?.name === "SessionEnded") return;
        console.error(`[next-auth] ${code}`, metadata);
      },
      warn(code) {
        console.warn(`[next-auth] ${code}`);
      },
      debug() {},
    },
  };
}
