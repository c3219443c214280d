// Attaches Socket.IO to the HTTP server: handshake auth, channel membership, presence and the
// per-domain handlers. Handlers are registered synchronously on connection so that nothing a
// client sends right after connecting is missed.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { socketAuth, type SocketAuthOptions } from "../auth/socket-auth.ts";
import { RequestBudget } from "./ack.ts";
import { CLIENT_EVENTS, type ClientEvent } from "./events.ts";
import { roomChannel, userChannel, type KomnataServer, type RealtimeContext } from "./context.ts";
import { registerMessageHandlers } from "./handlers/messages.ts";
import { registerRoomHandlers } from "./handlers/rooms.ts";

/**
 * The largest frame a client may send. A message body is at most 4,000 characters (16 KB in
 * UTF-8, up to 24 KB JSON-escaped), so this leaves room for the envelope while keeping what one
 * client can make the server buffer small. A larger frame closes that client's connection
 * (Socket.IO's rule); the client reconnects, the server is unaffected.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

export function createIo(httpServer: HttpServer, auth: SocketAuthOptions): KomnataServer {
  return new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // Next.js (dev) handles other upgrade requests on the same server
    destroyUpgrade: false,
    // a dead connection is noticed within 25 s, so presence does not linger
    pingInterval: 15_000,
    pingTimeout: 10_000,
    cors: auth.allowedOrigins.length > 0 ? { origin: auth.allowedOrigins, credentials: true } : undefined,
  });
}

export function wireRealtime(ctx: RealtimeContext, auth: SocketAuthOptions): void {
  const { io, rooms, presence, log } = ctx;
  const known = new Set<string>(CLIENT_EVENTS);

  io.use(socketAuth(auth));
  io.use(async (socket, next) => {
    try {
      socket.data.roomIds = await rooms.memberRoomIds(socket.data.user.id);
      next();
    } catch (error) {
      log.error({ err: error }, "could not load memberships at handshake");
      next(new Error("The server could not load your rooms. Please retry."));
    }
  });

  io.on("connection", (socket) => {
    const { user, roomIds } = socket.data;
    socket.join([userChannel(user.id), ...roomIds.map(roomChannel)]);
    if (presence.connected(user.id, roomIds) && roomIds.length > 0) {
      io.to(roomIds.map(roomChannel)).emit("presence:changed", { userId: user.id, username: user.username, online: true });
    }

    const budget = new RequestBudget(20, 40);
    registerRoomHandlers(ctx, socket, budget);
    registerMessageHandlers(ctx, socket);

    socket.onAny((event: string, ...args: unknown[]) => {
      if (known.has(event as ClientEvent)) return;
      log.info({ event, userId: user.id }, "unknown event");
      const error = { code: "invalid_input" as const, message: `Unknown event "${String(event).slice(0, 64)}".` };
      const ack = args.at(-1);
      if (typeof ack === "function") ack({ ok: false, error });
      else socket.emit("app:error", { event: String(event).slice(0, 64), error });
    });

    socket.on("error", (error) => log.warn({ err: error, userId: user.id }, "socket error"));

    socket.on("disconnect", () => {
      const memberOf = presence.roomIdsOf(user.id);
      if (presence.disconnected(user.id) && memberOf.length > 0) {
        io.to(memberOf.map(roomChannel)).emit("presence:changed", { userId: user.id, username: user.username, online: false });
      }
    });
  });
}
