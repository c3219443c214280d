import type { Parsed } from "../../protocol/index.ts";
import type { KomnataSocket, RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership, requireParticipant } from "../membership.ts";

/**
 * Reactions, in a room or a private conversation: anyone who may read the message may react.
 * They go through the room's (conversation's) queue like edits, so a message's changes are
 * written in the order they came; adding one that is there (or removing one that is not) is
 * answered with the message as it is and announced to nobody.
 */
export function reactionHandlers(ctx: RealtimeContext): Pick<Handlers, "reaction:add" | "reaction:remove"> {
  const react = async (
    input: Parsed<"reaction:add">,
    add: boolean,
    socket: KomnataSocket,
    afterAck: (work: () => void) => void,
  ) => {
    const change = { kind: "react" as const, author: socket.data.user, messageId: input.messageId, emoji: input.emoji, add };
    if (input.roomId !== undefined) {
      await requireMembership(ctx, socket, input.roomId);
      const posted = await ctx.posting.changeInRoom(input.roomId, change);
      afterAck(posted.announce);
      return { message: posted.message };
    }
    const conversationId = input.conversationId as string;
    await requireParticipant(ctx, socket, conversationId);
    const posted = await ctx.posting.changeInConversation(conversationId, change);
    afterAck(posted.announce);
    return { message: posted.message };
  };
  return {
    "reaction:add": (input, socket, afterAck) => react(input, true, socket, afterAck),
    "reaction:remove": (input, socket, afterAck) => react(input, false, socket, afterAck),
  };
}
