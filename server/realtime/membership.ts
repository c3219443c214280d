import type { Profile, PublicUser, RoomRole } from "../protocol/index.ts";
import type { KomnataSocket, RealtimeContext } from "./context.ts";
import { conversationChannel, roomChannel, userChannel } from "./context.ts";

/**
 * Passes when the socket is in `channel`, else runs `check` (which throws forbidden or
 * not_found) and joins it. A socket is in the channel of every room and conversation its user
 * belongs to (joined at connect, kept in step on join and leave), so members pass without a query.
 */
async function requireChannel(socket: KomnataSocket, channel: string, check: () => Promise<void>): Promise<void> {
  if (socket.rooms.has(channel)) return;
  await check();
  socket.join(channel);
}

/** Throws forbidden (or not_found) unless the socket's user is a member of `roomId`. */
export function requireMembership(ctx: RealtimeContext, socket: KomnataSocket, roomId: string): Promise<void> {
  return requireChannel(socket, roomChannel(roomId), () => ctx.rooms.assertMember(socket.data.user, roomId));
}

/** Throws forbidden (or not_found) unless the socket's user takes part in the conversation. */
export function requireParticipant(ctx: RealtimeContext, socket: KomnataSocket, conversationId: string): Promise<void> {
  return requireChannel(socket, conversationChannel(conversationId), () =>
    ctx.conversations.assertParticipant(socket.data.user, conversationId),
  );
}

/**
 * After `user` became a member (`joined` with their role) or was one already: every connection of theirs, on
 * every node, receives the room's events from now on; the members hear of a newcomer.
 */
export function enterRoom(
  ctx: Pick<RealtimeContext, "io" | "presence">,
  user: PublicUser,
  roomId: string,
  joined: { member?: Profile & { role: RoomRole } },
): void {
  const { io, presence } = ctx;
  io.in(userChannel(user.id)).socketsJoin(roomChannel(roomId));
  if (!joined.member) return;
  presence.joined(user.id, roomId);
  io.to(roomChannel(roomId)).emit("room:member-joined", {
    roomId,
    member: { ...joined.member, online: presence.isOnline(user.id) },
  });
}

/**
 * Takes `userId` out of a room at once, not by their own leaving: no connection of theirs on any
 * node receives its events or passes its membership check from now on. They are told why; the
 * members that they left.
 */
export function removeFromRoom(
  ctx: Pick<RealtimeContext, "io" | "presence">,
  userId: string,
  roomId: string,
  reason: "kicked" | "banned",
): void {
  const { io, presence } = ctx;
  io.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
  presence.left(userId, roomId);
  io.to(userChannel(userId)).emit("room:removed", { roomId, reason });
  io.to(roomChannel(roomId)).emit("room:member-left", { roomId, userId });
}
