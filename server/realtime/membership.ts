import type { KomnataSocket, RealtimeContext } from "./context.ts";
import { roomChannel } from "./context.ts";

/**
 * Throws forbidden (or not_found) unless the socket's user is a member of `roomId`. A socket is
 * in the channel of every room its user belongs to (joined at connect, on join and on leave),
 * so members pass without a query; anyone else is checked against the database.
 */
export async function requireMembership(ctx: RealtimeContext, socket: KomnataSocket, roomId: string): Promise<void> {
  const channel = roomChannel(roomId);
  if (socket.rooms.has(channel)) return;
  await ctx.rooms.assertMember(socket.data.user, roomId);
  socket.join(channel);
}
