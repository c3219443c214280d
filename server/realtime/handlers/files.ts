import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership, requireParticipant } from "../membership.ts";

export function fileHandlers(ctx: RealtimeContext): Pick<Handlers, "file:list"> {
  return {
    // The Files view: what was shared in a room or a conversation, for its members only.
    "file:list": async ({ roomId, conversationId, before, limit }, socket) => {
      if (roomId !== undefined) {
        await requireMembership(ctx, socket, roomId);
        return ctx.files.list({ roomId }, before, limit);
      }
      const id = conversationId as string;
      await requireParticipant(ctx, socket, id);
      return ctx.files.list({ conversationId: id }, before, limit);
    },
  };
}
