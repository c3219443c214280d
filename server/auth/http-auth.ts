// Who is making an HTTP API request: a bearer token (POST /api/token) or, from our own pages,
// next-auth's session cookie. A cookie rides along with requests that any site's page makes, so
// a request that changes something must also come from an allowed Origin, as a Socket.IO
// handshake must.
import type { IncomingMessage } from "node:http";
import { type Authenticated, authenticate, type SocketAuthOptions } from "./socket-auth.ts";

export type HttpAuth = (req: IncomingMessage, use: "read" | "write") => Promise<Authenticated>;

export function httpAuth(options: SocketAuthOptions): HttpAuth {
  return (req, use) =>
    authenticate(
      options,
      {
        bearer: /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null,
        cookie: req.headers.cookie,
        origin: req.headers.origin,
        host: req.headers.host,
      },
      use === "write",
    );
}
