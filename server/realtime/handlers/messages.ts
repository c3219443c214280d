import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership } from "../membership.ts";

export function messageHandlers(ctx: RealtimeContext): Pick<Handlers, "message:send"> {
  return {
    // Persist (through the queue), then acknowledge, then broadcast. Membership is read from the
    // socket's channels, which follow joins and leaves, so a send costs no membership query.
    "message:send": async ({ roomId, body, clientMsgId }, socket, afterAck) => {
      const { user } = socket.data;
      await requireMembership(ctx, socket, roomId);
      const posted = await ctx.posting.toRoom(roomId, { author: user, body, clientMsgId });
      afterAck(posted.announce);
      return { message: posted.message };
    },
  };
}
