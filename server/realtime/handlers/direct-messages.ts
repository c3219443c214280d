import { conversationChannel, type RealtimeContext, userChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireParticipant } from "../membership.ts";

export function directMessageHandlers(ctx: RealtimeContext): Pick<Handlers, "dm:send" | "dm:list" | "dm:history" | "dm:read"> {
  const { io, conversations } = ctx;
  return {
    // Persist, acknowledge, then deliver to every connection of both participants. A message to
    // someone offline is stored and counted unread for them (dm:list) until they read it.
    "dm:send": async ({ toUsername, conversationId, body, clientMsgId }, socket, afterAck) => {
      const { user } = socket.data;
      let id = conversationId as string;
      if (toUsername !== undefined) {
        const opened = await conversations.open(user, toUsername);
        id = opened.conversation.id;
        if (opened.created) {
          io.in([userChannel(user.id), userChannel(opened.conversation.with.id)]).socketsJoin(conversationChannel(id));
        }
      }
      await requireParticipant(ctx, socket, id);
      const { message, created } = await ctx.directMessages.enqueue(id, user.id, { author: user, body, clientMsgId });
      // what you wrote yourself is not unread for you
      await conversations.markRead(user, id, message.seq);
      if (created) afterAck(() => io.to(conversationChannel(id)).emit("dm:new", message));
      return { message };
    },

    "dm:list": async (_input, socket) => ({ conversations: await conversations.list(socket.data.user) }),

    "dm:history": async ({ conversationId, beforeSeq, afterSeq, limit }, socket) => {
      await requireParticipant(ctx, socket, conversationId);
      return conversations.history(conversationId, { beforeSeq, afterSeq }, limit);
    },

    "dm:read": async ({ conversationId, seq }, socket) => {
      await requireParticipant(ctx, socket, conversationId);
      return conversations.markRead(socket.data.user, conversationId, seq);
    },
  };
}
