import { JOIN_PAGE } from "../../protocol/index.ts";
import { type KomnataSocket, type RealtimeContext, roomChannel, userChannel, watchChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { announceLeft, enterRoom, requireMembership } from "../membership.ts";

/** The most rooms one connection watches (a lobby scrolled far down): the first ones stay watched. */
const MAX_WATCHED = 1000;
const WATCH_PREFIX = watchChannel("");

/**
 * Makes `socket` watch the counts of the rooms among `roomIds` it is not in (its member rooms'
 * counts reach it anyway), instead of the ones it watched (`replace`) or beside them.
 */
function watchRooms(socket: KomnataSocket, roomIds: string[], replace: boolean): void {
  let watched = 0;
  for (const channel of [...socket.rooms]) {
    if (!channel.startsWith(WATCH_PREFIX)) continue;
    if (replace) socket.leave(channel);
    else watched += 1;
  }
  const wanted = roomIds.filter((id) => !socket.rooms.has(roomChannel(id)) && !socket.rooms.has(watchChannel(id)));
  const channels = wanted.slice(0, Math.max(0, MAX_WATCHED - watched)).map(watchChannel);
  if (channels.length > 0) socket.join(channels);
}

export function roomHandlers(
  ctx: RealtimeContext,
): Pick<
  Handlers,
  | "room:list"
  | "room:unwatch"
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
    // with `watch`, the connection hears the listed rooms' counts from now on (a first page
    // replaces what it watched, a further page adds to it), joined before the counts are read
    "room:list": async (input, socket) => {
      const before = input?.before;
      const watch = input?.watch ? (ids: string[]) => watchRooms(socket, ids, before === undefined) : undefined;
      return rooms.list({ query: input?.query || undefined, before, limit: input?.limit ?? 50 }, socket.data.user, watch);
    },

    "room:unwatch": async (_input, socket) => {
      watchRooms(socket, [], true);
      return {};
    },

    "room:get": async ({ roomId }, socket) => ({ room: await rooms.get(roomId, socket.data.user) }),

    // the sidebar: every room of mine, with unread counts
    "room:mine": async (_input, socket) => ({ rooms: await rooms.mine(socket.data.user) }),

    "room:create": async ({ name, topic, visibility }, socket) => {
      const { user } = socket.data;
      const created = await rooms.create(user, name, topic, visibility);
      io.in(userChannel(user.id)).socketsJoin(roomChannel(created.id));
      presence.joined(user.id, created.id);
      const room = { ...created, onlineCount: presence.onlineCount(created.id) };
      // a private room is nobody else's business
      (visibility === "public" ? io : io.to(userChannel(user.id))).emit("room:created", room);
      return { room };
    },

    // by id (a public room, or one you were invited to), or by an invite link's token
    "room:join": async ({ roomId: id, inviteToken }, socket) => {
      const { user } = socket.data;
      const roomId = inviteToken === undefined ? (id as string) : await ctx.invitations.roomOf(inviteToken);
      const admit = inviteToken === undefined ? undefined : () => ctx.invitations.use(inviteToken);
      // a socket in the room's channel belongs to a member already: no membership write to try
      const joined = socket.rooms.has(roomChannel(roomId)) ? { joined: false } : await rooms.join(user, roomId, admit);
      await enterRoom(ctx, user, roomId, joined);
      const [room, page] = await Promise.all([rooms.detail(roomId, user), rooms.history(roomId, {}, JOIN_PAGE)]);
      return { room, ...page };
    },

    "room:leave": async ({ roomId }, socket) => {
      const { user } = socket.data;
      const { left, heir } = await rooms.leave(user, roomId);
      io.in(userChannel(user.id)).socketsLeave(roomChannel(roomId));
      if (left) {
        presence.left(user.id, roomId);
        await announceLeft(ctx, user.id, roomId, [userChannel(user.id)]);
      }
      if (heir)
        io.to(roomChannel(roomId)).emit("room:member-updated", {
          roomId,
          member: { ...heir, online: presence.isOnline(heir.id) },
        });
      return {};
    },

    // Gone for everyone at once: nobody stays in its channel, every list drops it, and the bytes
    // of its files are deleted once the rows are.
    // (a private room's: only its members and invitees ever knew of it)
    "room:delete": async ({ roomId }, socket, afterAck) => {
      const { user } = socket.data;
      const removed = await rooms.remove(user, roomId, await ctx.users.isAdmin(user.id));
      for (const member of removed.members) presence.left(member, roomId);
      await Promise.all(removed.files.map((f) => ctx.files.deleteBytes(f.id, f.thumbnail)));
      afterAck(() => {
        const others = removed.members.filter((m) => m !== user.id).map(userChannel);
        if (others.length > 0) io.to(others).emit("room:removed", { roomId, reason: "deleted" });
        if (removed.invited.length > 0) io.to(removed.invited.map(userChannel)).emit("room:invitation-closed", { roomId });
        const everyone = removed.visibility === "public";
        (everyone ? io : io.to([roomChannel(roomId), userChannel(user.id)])).emit("room:deleted", { roomId });
        io.in(roomChannel(roomId)).socketsLeave(roomChannel(roomId));
        io.in(watchChannel(roomId)).socketsLeave(watchChannel(roomId));
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
