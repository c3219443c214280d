// next-auth for the browser: a credentials sign-in whose check is the server's UserService
// (reached through the auth bridge), and a JWT session cookie that the Socket.IO handshake
// reads too (server/auth/socket-auth.ts).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { CLIENT_ADDRESS_HEADER, serverBridge } from "../bridge.ts";
import { TOKEN_MAX_AGE_SECONDS } from "./tokens.ts";

/** Prefix of the sign-in error that the auth route turns into HTTP 429. */
export const RATE_LIMITED_PREFIX = "RateLimited:";

export function authOptions(): NextAuthOptions {
  return {
    // set by server/app.ts from the validated configuration before Next.js starts
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: TOKEN_MAX_AGE_SECONDS },
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
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
        }
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", name: token.name ?? "" };
        return session;
      },
    },
  };
}
