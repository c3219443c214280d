import type { KomnataSocket, RealtimeContext } from "./context.ts";
import { conversationChannel, roomChannel } from "./context.ts";

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
