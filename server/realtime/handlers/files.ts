import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership, requireParticipant } from "../membership.ts";

export function fileHandlers(ctx: RealtimeContext): Pick<Handlers, "file:list" | "file:remove"> {
  return {
    // The Files views: what was shared in a room or a conversation, for its members only; or
    // everything the user can read.
    "file:list": async ({ roomId, conversationId, query, before, limit }, socket) => {
      const { user } = socket.data;
      const options = { query: query || undefined, before, limit };
      if (roomId !== undefined) {
        await requireMembership(ctx, socket, roomId);
        return ctx.files.list(user, { roomId }, options);
      }
      if (conversationId !== undefined) {
        await requireParticipant(ctx, socket, conversationId);
        return ctx.files.list(user, { conversationId }, options);
      }
      return ctx.files.list(user, null, options);
    },
    // The uploader takes a file back (the message stays, showing "file removed").
    "file:remove": async ({ fileId }, socket) => {
      await ctx.files.remove(socket.data.user, fileId);
      return {};
    },
  };
}
