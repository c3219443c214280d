// Posting a message, shared by the Socket.IO handlers (message:send, dm:send) and the HTTP
// upload that shares a file: persist through the queue, then announce to the channel. Callers
// check that the user may post there first.
import type { OutgoingMessage, WireDirectMessage, WireMessage } from "../services/messages.ts";
import type { PublicUser } from "../services/users.ts";
import { conversationChannel, type RealtimeContext, roomChannel, userChannel } from "./context.ts";

export interface Posted<W> {
  message: W;
  /** false when the clientMsgId was already stored: this send changed nothing */
  created: boolean;
  /** Tells everyone in the room or conversation (nothing for a repeat, announced the first time). */
  announce(): void;
}

export async function postToRoom(ctx: RealtimeContext, roomId: string, outgoing: OutgoingMessage): Promise<Posted<WireMessage>> {
  const { message, created } = await ctx.messages.enqueue(roomId, outgoing.author.id, outgoing);
  return {
    message,
    created,
    announce: () => {
      // the sender's other tabs get it like everyone else
      if (created) ctx.io.to(roomChannel(roomId)).emit("message:new", message);
    },
  };
}

/**
 * The id of the conversation a request names: `conversationId` as given, or the one with
 * `toUsername`, created on first use (and then joined by every connection of both people).
 */
export async function conversationFor(
  ctx: RealtimeContext,
  user: PublicUser,
  target: { toUsername?: string; conversationId?: string },
): Promise<string> {
  if (target.toUsername === undefined) return target.conversationId as string;
  const { conversation, created } = await ctx.conversations.open(user, target.toUsername);
  if (created) {
    ctx.io.in([userChannel(user.id), userChannel(conversation.with.id)]).socketsJoin(conversationChannel(conversation.id));
  }
  return conversation.id;
}

/** A message to someone offline is stored and counted unread for them until they read it. */
export async function postToConversation(
  ctx: RealtimeContext,
  conversationId: string,
  outgoing: OutgoingMessage,
): Promise<Posted<WireDirectMessage>> {
  const { message, created } = await ctx.directMessages.enqueue(conversationId, outgoing.author.id, outgoing);
  // what you wrote yourself is not unread for you
  await ctx.conversations.markRead(outgoing.author, conversationId, message.seq);
  return {
    message,
    created,
    announce: () => {
      if (created) ctx.io.to(conversationChannel(conversationId)).emit("dm:new", message);
    },
  };
}
