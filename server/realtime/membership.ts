import type { Profile, PublicUser, RoomRole } from "../protocol/index.ts";
import type { KomnataSocket, RealtimeContext } from "./context.ts";
import { conversationChannel, type KomnataServer, roomChannel, userChannel, watchChannel } from "./context.ts";

/** The connections watching a room from a lobby (not its members: they hear who came or went) hear how many members it has. */
export function tellWatchers(io: KomnataServer, roomId: string, memberCount: number): void {
  io.to(watchChannel(roomId)).except(roomChannel(roomId)).emit("room:member-count", { roomId, memberCount });
}

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
 * every node, receives the room's events from now on; the members hear of a newcomer, and how many
 * they are now (a count, not a step: a list that asked meanwhile may hold the newcomer already).
 */
export async function enterRoom(
  ctx: Pick<RealtimeContext, "io" | "presence" | "rooms">,
  user: PublicUser,
  roomId: string,
  joined: { member?: Profile & { role: RoomRole } },
): Promise<void> {
  const { io, presence } = ctx;
  io.in(userChannel(user.id)).socketsJoin(roomChannel(roomId));
  if (!joined.member) return;
  presence.joined(user.id, roomId);
  const member = { ...joined.member, online: presence.isOnline(user.id) };
  const memberCount = await ctx.rooms.memberCount(roomId);
  io.to(roomChannel(roomId)).emit("room:member-joined", { roomId, member, memberCount });
  tellWatchers(io, roomId, memberCount);
}

/** The members (and `also`) hear that `userId` left the room, and how many are left. */
export async function announceLeft(
  ctx: Pick<RealtimeContext, "io" | "rooms">,
  userId: string,
  roomId: string,
  also: string[] = [],
): Promise<void> {
  const memberCount = await ctx.rooms.memberCount(roomId);
  ctx.io.to([roomChannel(roomId), ...also]).emit("room:member-left", { roomId, userId, memberCount });
  tellWatchers(ctx.io, roomId, memberCount);
}

/**
 * Takes `userId` out of a room at once, not by their own leaving: no connection of theirs on any
 * node receives its events or passes its membership check from now on. They are told why; the
 * members that they left.
 */
export async function removeFromRoom(
  ctx: Pick<RealtimeContext, "io" | "presence" | "rooms">,
  userId: string,
  roomId: string,
  reason: "kicked" | "banned",
): Promise<void> {
  const { io, presence } = ctx;
  io.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
  presence.left(userId, roomId);
  io.to(userChannel(userId)).emit("room:removed", { roomId, reason });
  await announceLeft(ctx, userId, roomId);
}
