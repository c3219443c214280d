import { JOIN_PAGE } from "../../protocol/index.ts";
import { type KomnataSocket, type RealtimeContext, roomChannel, userChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership } from "../membership.ts";

export function roomHandlers(
  ctx: RealtimeContext,
): Pick<
  Handlers,
  | "room:list"
  | "room:get"
  | "room:mine"
  | "room:create"
  | "room:join"
  | "room:leave"
  | "room:delete"
  | "room:history"
  | "room:read"
  | "room:unread"
  | "room:settings"
  | "room:around"
> {
  const { io, rooms, presence } = ctx;

  /** Moves the socket's user's read mark in a room; every connection of theirs hears where it is now. */
  async function moveMark(
    roomId: string,
    seq: number,
    back: boolean,
    socket: KomnataSocket,
    afterAck: (work: () => void) => void,
  ) {
    await requireMembership(ctx, socket, roomId);
    const { user } = socket.data;
    const mark = await rooms.markRead(user, roomId, seq, back);
    afterAck(() => io.to(userChannel(user.id)).emit("room:read", { roomId, ...mark }));
    return mark;
  }

  return {
    "room:list": async (input, socket) =>
      rooms.list({ query: input?.query || undefined, before: input?.before, limit: input?.limit ?? 50 }, socket.data.user),

    "room:get": async ({ roomId }, socket) => ({ room: await rooms.get(roomId, socket.data.user) }),

    // the sidebar: every room of mine, with unread counts
    "room:mine": async (_input, socket) => ({ rooms: await rooms.mine(socket.data.user) }),

    "room:create": async ({ name, topic }, socket) => {
      const { user } = socket.data;
      const created = await rooms.create(user, name, topic);
      io.in(userChannel(user.id)).socketsJoin(roomChannel(created.id));
      presence.joined(user.id, created.id);
      const room = { ...created, onlineCount: presence.onlineCount(created.id) };
      io.emit("room:created", room);
      return { room };
    },

    "room:join": async ({ roomId }, socket) => {
      const { user } = socket.data;
      // a socket in the room's channel belongs to a member already: no membership write to try
      const { joined } = socket.rooms.has(roomChannel(roomId)) ? { joined: false } : await rooms.join(user, roomId);
      // every tab of this user now receives the room's messages
      io.in(userChannel(user.id)).socketsJoin(roomChannel(roomId));
      if (joined) {
        presence.joined(user.id, roomId);
        io.to(roomChannel(roomId)).emit("room:member-joined", { roomId, member: { ...user, online: true } });
      }
      const [room, page] = await Promise.all([rooms.detail(roomId, user), rooms.history(roomId, {}, JOIN_PAGE)]);
      return { room, ...page };
    },

    "room:leave": async ({ roomId }, socket) => {
      const { user } = socket.data;
      const { left } = await rooms.leave(user, roomId);
      io.in(userChannel(user.id)).socketsLeave(roomChannel(roomId));
      if (left) {
        presence.left(user.id, roomId);
        io.to([roomChannel(roomId), userChannel(user.id)]).emit("room:member-left", { roomId, userId: user.id });
      }
      return {};
    },

    // Gone for everyone at once: nobody stays in its channel, every list drops it, and the bytes
    // of its files are deleted once the rows are.
    "room:delete": async ({ roomId }, socket, afterAck) => {
      const { user } = socket.data;
      const files = await rooms.remove(user, roomId);
      presence.left(user.id, roomId);
      await Promise.all(files.map((f) => ctx.files.deleteBytes(f.id, f.thumbnail)));
      afterAck(() => {
        io.emit("room:deleted", { roomId });
        io.in(roomChannel(roomId)).socketsLeave(roomChannel(roomId));
      });
      return {};
    },

    // the read mark, forward as you read, back to a message for "mark as unread"
    "room:read": ({ roomId, seq }, socket, afterAck) => moveMark(roomId, seq, false, socket, afterAck),
    "room:unread": ({ roomId, seq }, socket, afterAck) => moveMark(roomId, seq, true, socket, afterAck),
    // my settings of a room: read them, or change them (every connection of mine hears it)
    "room:settings": async ({ roomId, notify }, socket, afterAck) => {
      await requireMembership(ctx, socket, roomId);
      const { user } = socket.data;
      const settings = await rooms.settings(user, roomId, notify === undefined ? undefined : { notify });
      if (notify !== undefined) {
        ctx.push.roomSettingsChanged(roomId);
        afterAck(() => io.to(userChannel(user.id)).emit("room:settings", { roomId, settings }));
      }
      return { settings };
    },

    // a search result or a linked message, with the messages around it
    "room:around": async ({ roomId, seq, limit }, socket) => {
      await requireMembership(ctx, socket, roomId);
      return rooms.around(roomId, seq, limit);
    },

    "room:history": async ({ roomId, beforeSeq, afterSeq, limit }, socket) => {
      await requireMembership(ctx, socket, roomId);
      return rooms.history(roomId, { beforeSeq, afterSeq }, limit);
    },
  };
}
