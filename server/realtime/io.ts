// Attaches Socket.IO to the HTTP server: handshake auth, channel membership, presence and the
// per-domain handlers. The dispatcher is attached synchronously on connection so that nothing a
// client sends right after connecting is missed.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { type SocketAuthOptions, socketAuth } from "../auth/socket-auth.ts";
import { MAX_FRAME_BYTES } from "../protocol/index.ts";
import { AppError, toErrorBody } from "../services/errors.ts";
import { coalesceWebSocketWrites } from "./coalesce-writes.ts";
import {
  conversationChannel,
  type KomnataServer,
  type KomnataSocket,
  type RealtimeContext,
  roomChannel,
  userChannel,
  watchChannel,
} from "./context.ts";
import { createDispatcher } from "./dispatch.ts";
import { directMessageHandlers } from "./handlers/direct-messages.ts";
import { fileHandlers } from "./handlers/files.ts";
import { governanceHandlers } from "./handlers/governance.ts";
import { messageHandlers } from "./handlers/messages.ts";
import { reactionHandlers } from "./handlers/reactions.ts";
import { roomHandlers } from "./handlers/rooms.ts";
import { typingSignals } from "./handlers/typing.ts";
import { userHandlers } from "./handlers/users.ts";
import { webhookHandlers } from "./handlers/webhooks.ts";

/** how often at most a room's members hear its online count (`room:online`) */
const COUNTS_EVERY_MS = 1000;

export function createIo(httpServer: HttpServer, { allowedOrigins }: { allowedOrigins: string[] }): KomnataServer {
  coalesceWebSocketWrites();
  return new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // Next.js (dev) handles other upgrade requests on the same server
    destroyUpgrade: false,
    // a dead connection is noticed within 25 s, so presence does not linger
    pingInterval: 15_000,
    pingTimeout: 10_000,
    cors: allowedOrigins.length > 0 ? { origin: allowedOrigins, credentials: true } : undefined,
  });
}

/** what a connection keeps of its handshake's room and conversation ids once it has joined them */
const NONE: string[] = [];
/** what it keeps of the handshake's headers and auth payload: one shared empty object */
const NOTHING = Object.freeze({}) as Record<string, never>;

export function wireRealtime(ctx: RealtimeContext, auth: SocketAuthOptions): void {
  const { io, rooms, presence, log } = ctx;
  const dispatch = createDispatcher(
    ctx,
    {
      ...roomHandlers(ctx),
      ...governanceHandlers(ctx),
      ...messageHandlers(ctx),
      ...directMessageHandlers(ctx),
      ...userHandlers(ctx),
      ...fileHandlers(ctx),
      ...reactionHandlers(ctx),
      ...webhookHandlers(ctx),
    },
    typingSignals(ctx),
  );

  io.use(socketAuth(auth, log));
  io.use(async (socket, next) => {
    try {
      socket.data.address = ctx.clientAddress(socket.request);
      ({ roomIds: socket.data.roomIds, conversationIds: socket.data.conversationIds } = await rooms.channelsOf(
        socket.data.user.id,
      ));
      const scope = socket.data.roomScope;
      if (scope) {
        // a token limited to some rooms hears nothing of the others, nor of private conversations
        socket.data.roomIds = socket.data.roomIds.filter((id) => scope.includes(id));
        socket.data.conversationIds = [];
      }

      // What an idle connection keeps costs memory on every socket. The HTTP request that opened
      // it and the handshake's copy of its headers have been read by now and are not needed
      // again; engine.io still holds the request through a listener on the TCP socket, so its
      // header strings are dropped too.
      const conn = socket.conn as unknown as { request: { rawHeaders: string[]; headers: object } | null };
      if (conn.request) {
        conn.request.rawHeaders = [];
        conn.request.headers = {};
        conn.request = null;
      }
      socket.handshake.headers = NOTHING;
      // and the token (several hundred bytes) the client signed in with: it was read at the handshake
      socket.handshake.auth = NOTHING;
      // last: a connection counts once nothing else can refuse it (released on disconnect)
      ctx.quotas.admit(socket.data.user.id, socket.data.address);
      next();
    } catch (error) {
      if (error instanceof AppError) {
        const refused: Error & { data?: unknown } = new Error(error.message);
        refused.data = toErrorBody(error);
        next(refused);
        return;
      }
      log.error({ err: error }, "could not load memberships at handshake");
      const refused: Error & { data?: unknown } = new Error("The server could not load your rooms. Please retry.");
      refused.data = { code: "internal", message: refused.message };
      next(refused);
    }
  });

  // Shared by every socket (called with the socket as `this`): no per-connection closures.
  function onError(this: KomnataSocket, error: Error): void {
    log.warn({ err: error, userId: this.data.user.id }, "socket error");
  }
  function onDisconnect(this: KomnataSocket): void {
    const { user } = this.data;
    ctx.quotas.release(user.id, this.data.address);
    presence.disconnected(user.id);
  }

  // Each node tells its own connections when someone comes online or goes offline, wherever that
  // happened (presence.ts): the members of their rooms and the people they talk with privately,
  // each client once.
  presence.onChange = ({ userId, username, online, roomIds, conversationIds }) => {
    if (roomIds.length === 0 && conversationIds.length === 0) return;
    // a connection in several of these channels hears it once
    const channels = [...roomIds.map(roomChannel), ...conversationIds.map(conversationChannel)];
    io.local.to(channels).emit("presence:changed", { userId, username, online });
  };
  // A room's online count, to its members and its watchers (lobbies that list it: room:list with
  // `watch`), so the lobby keeps its counts without asking again: at once after a quiet second,
  // else at most once a second with the counts of then, however many came and went meanwhile (in
  // a room of thousands people come and go all the time, and a node that dies takes many users
  // offline at once).
  const countsToTell = new Set<string>();
  let toldAt = Number.NEGATIVE_INFINITY;
  let telling = false;
  const tellCounts = () => {
    telling = false;
    toldAt = performance.now();
    for (const roomId of countsToTell) {
      io.local
        .to([roomChannel(roomId), watchChannel(roomId)])
        .emit("room:online", { roomId, onlineCount: presence.onlineCount(roomId) });
    }
    countsToTell.clear();
  };
  presence.onRoomCount = (roomId) => {
    countsToTell.add(roomId);
    if (telling) return;
    telling = true;
    const wait = toldAt + COUNTS_EVERY_MS - performance.now();
    (wait > 0 ? setTimeout(tellCounts, wait) : setImmediate(tellCounts)).unref();
  };

  const listeners = Object.freeze([dispatch]);
  io.on("connection", (socket) => {
    const { user, sid, authTime, roomScope, address, roomIds, conversationIds } = socket.data;
    socket.join([userChannel(user.id), ...roomIds.map(roomChannel), ...conversationIds.map(conversationChannel)]);
    // One object made whole, with its fields in it (the one the handshake filled field by field
    // keeps some of them in a separate array): the ids are in the socket's channels now, and
    // presence keeps its own copy; a user's connections share one user object (many tabs,
    // scripts: many connections).
    const data = {
      user: presence.connected(user, roomIds, conversationIds),
      sid,
      authTime,
      address,
      roomIds: NONE,
      conversationIds: NONE,
    };
    // the room limit only on the connections that have one
    socket.data = roomScope === undefined ? data : { ...data, roomScope };
    // Every connection's list of catch-all listeners is the one shared array, frozen (Socket.IO
    // only reads it; onAny would give each its own array), and its error listener is ours
    // instead of Socket.IO's no-op beside it (two would take an array). Both for the memory of
    // idle connections; socket-internals.test.ts notices if an upgrade moves either.
    (socket as unknown as { _anyListeners: readonly unknown[] })._anyListeners = listeners;
    socket.removeAllListeners("error");
    socket.on("error", onError);
    socket.on("disconnect", onDisconnect);
  });
}
