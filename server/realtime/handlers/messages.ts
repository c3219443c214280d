import { handle } from "../ack.ts";
import { requireMembership } from "../membership.ts";
import { roomChannel, type KomnataSocket, type RealtimeContext } from "../context.ts";

export function registerMessageHandlers(ctx: RealtimeContext, socket: KomnataSocket): void {
  const user = socket.data.user;

  // Persist (through the queue), then acknowledge, then broadcast. Membership is read from the
  // socket's channels, which follow joins and leaves, so a send costs no membership query.
  handle(ctx, socket, null, "message:send", async ({ roomId, body, clientMsgId }, afterAck) => {
    await requireMembership(ctx, socket, roomId);
    const { message, created } = await ctx.messages.enqueue(roomId, user.id, { roomId, author: user, body, clientMsgId });
    // A repeated clientMsgId was broadcast when it was first stored. The sender's other tabs
    // get the broadcast like everyone else.
    if (created) afterAck(() => ctx.io.to(roomChannel(roomId)).emit("message:new", message));
    return { message };
  });
}
