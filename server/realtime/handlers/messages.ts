import { type RealtimeContext, roomChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership } from "../membership.ts";

export function messageHandlers(ctx: RealtimeContext): Pick<Handlers, "message:send"> {
  return {
    // Persist (through the queue), then acknowledge, then broadcast. Membership is read from the
    // socket's channels, which follow joins and leaves, so a send costs no membership query.
    "message:send": async ({ roomId, body, clientMsgId }, socket, afterAck) => {
      const { user } = socket.data;
      await requireMembership(ctx, socket, roomId);
      const { message, created } = await ctx.messages.enqueue(roomId, user.id, { author: user, body, clientMsgId });
      // A repeated clientMsgId was broadcast when it was first stored. The sender's other tabs
      // get the broadcast like everyone else.
      if (created) afterAck(() => ctx.io.to(roomChannel(roomId)).emit("message:new", message));
      return { message };
    },
  };
}
