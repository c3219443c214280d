import { type KomnataSocket, type RealtimeContext, userChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireParticipant } from "../membership.ts";

export function directMessageHandlers(
  ctx: RealtimeContext,
): Pick<
  Handlers,
  "dm:send" | "dm:list" | "dm:history" | "dm:read" | "dm:unread" | "dm:edit" | "dm:delete" | "dm:sync" | "dm:around"
> {
  const { conversations, posting, io } = ctx;

  /** Moves my read mark (forward, or back for "mark as unread"); every tab of mine is told. */
  async function moveMark(
    conversationId: string,
    seq: number,
    back: boolean,
    socket: KomnataSocket,
    afterAck: (work: () => void) => void,
  ) {
    await requireParticipant(ctx, socket, conversationId);
    const { user } = socket.data;
    const mark = await conversations.markRead(user, conversationId, seq, back);
    afterAck(() => io.to(userChannel(user.id)).emit("dm:read", { conversationId, ...mark }));
    return mark;
  }

  return {
    // Persist, acknowledge, then deliver to every connection of both participants. A message to
    // someone offline is stored and counted unread for them (dm:list) until they read it.
    "dm:send": async ({ toUsername, conversationId, body, clientMsgId, replyTo }, socket, afterAck) => {
      const { user } = socket.data;
      const id = await posting.conversationFor(user, { toUsername, conversationId });
      await requireParticipant(ctx, socket, id);
      const posted = await posting.toConversation(id, { author: user, body, clientMsgId, replyTo });
      afterAck(() => posted.announce(socket.id));
      return { message: posted.message };
    },

    "dm:list": async (_input, socket) => ({ conversations: await conversations.list(socket.data.user) }),

    "dm:history": async ({ conversationId, beforeSeq, afterSeq, limit }, socket) => {
      await requireParticipant(ctx, socket, conversationId);
      return conversations.history(conversationId, { beforeSeq, afterSeq }, limit);
    },

    "dm:around": async ({ conversationId, seq, limit }, socket) => {
      await requireParticipant(ctx, socket, conversationId);
      return conversations.around(conversationId, seq, limit);
    },

    "dm:edit": async ({ conversationId, messageId, body }, socket, afterAck) => {
      await requireParticipant(ctx, socket, conversationId);
      const change = { kind: "edit" as const, author: socket.data.user, messageId, body };
      const posted = await posting.changeInConversation(conversationId, change);
      afterAck(posted.announce);
      return { message: posted.message };
    },

    "dm:delete": async ({ conversationId, messageId }, socket, afterAck) => {
      await requireParticipant(ctx, socket, conversationId);
      const change = { kind: "delete" as const, author: socket.data.user, messageId };
      const posted = await posting.changeInConversation(conversationId, change);
      afterAck(posted.announce);
      return { message: posted.message };
    },

    "dm:sync": async ({ conversationId, afterRev, limit }, socket) => {
      await requireParticipant(ctx, socket, conversationId);
      return conversations.sync(conversationId, afterRev, limit);
    },

    "dm:read": ({ conversationId, seq }, socket, afterAck) => moveMark(conversationId, seq, false, socket, afterAck),
    "dm:unread": ({ conversationId, seq }, socket, afterAck) => moveMark(conversationId, seq, true, socket, afterAck),
  };
}
