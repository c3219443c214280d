// Who is making an HTTP API request: a bearer token (an API token, or one from POST /api/token)
// or, from our own pages, next-auth's session cookie. A cookie rides along with requests that any
// site's page makes, so a request that changes something must also come from an allowed Origin,
// as a Socket.IO handshake must.
import type { IncomingMessage } from "node:http";
import { AppError } from "../services/errors.ts";
import { type Authenticated, authenticate, type SocketAuthOptions } from "./socket-auth.ts";

/**
 * `roomId`: the room the request is about. An API token limited to some rooms is refused
 * everywhere but in those rooms' requests.
 */
export type HttpAuth = (req: IncomingMessage, use: "read" | "write", roomId?: string) => Promise<Authenticated>;

export function httpAuth(options: SocketAuthOptions): HttpAuth {
  return async (req, use, roomId) => {
    const found = await authenticate(
      options,
      {
        bearer: /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null,
        cookie: req.headers.cookie,
        origin: req.headers.origin,
        host: req.headers.host,
      },
      use === "write",
    );
    if (found.roomIds && !(roomId !== undefined && found.roomIds.includes(roomId))) {
      throw new AppError("forbidden", "This API token is limited to some rooms: it cannot be used for this.");
    }
    return found;
  };
}
