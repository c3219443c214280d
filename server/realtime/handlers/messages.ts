import { hasPower } from "../../protocol/index.ts";
import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { requireMembership } from "../membership.ts";

export function messageHandlers(
  ctx: RealtimeContext,
): Pick<Handlers, "message:send" | "message:edit" | "message:delete" | "message:pin" | "room:pins" | "room:sync"> {
  return {
    // Persist (through the queue), then acknowledge, then broadcast. Membership is read from the
    // socket's channels, which follow joins and leaves, so a send costs no membership query.
    // A reply's original must be in the same room: the store refuses it otherwise (not_found).
    "message:send": async ({ roomId, body, clientMsgId, replyTo }, socket, afterAck) => {
      const { user } = socket.data;
      await requireMembership(ctx, socket, roomId);
      const posted = await ctx.posting.toRoom(roomId, { author: user, body, clientMsgId, replyTo });
      afterAck(() => posted.announce(socket.id));
      return { message: posted.message };
    },

    // Changes go through the same queue as sends, so they are written in the order they came.
    // The store refuses a change to someone else's message (forbidden) or to a deleted one.
    "message:edit": async ({ roomId, messageId, body }, socket, afterAck) => {
      await requireMembership(ctx, socket, roomId);
      const posted = await ctx.posting.changeInRoom(roomId, { kind: "edit", author: socket.data.user, messageId, body });
      afterAck(posted.announce);
      return { message: posted.message };
    },

    // by its author, or by the room's owner or an admin ("removed by a moderator")
    "message:delete": async ({ roomId, messageId }, socket, afterAck) => {
      const { user } = socket.data;
      await requireMembership(ctx, socket, roomId);
      const moderator = hasPower(await ctx.moderation.roleOf(user.id, roomId), "moderate");
      const posted = await ctx.posting.changeInRoom(roomId, { kind: "delete", author: user, messageId, moderator });
      afterAck(posted.announce);
      return { message: posted.message };
    },

    // by the room's owner or an admin; every member sees the message marked (message:updated)
    "message:pin": async ({ roomId, messageId, pinned }, socket, afterAck) => {
      const { user } = socket.data;
      await ctx.moderation.require(user, roomId, "pin");
      if (pinned) await ctx.rooms.assertPinRoom(roomId);
      const posted = await ctx.posting.changeInRoom(roomId, { kind: "pin", author: user, messageId, pinned });
      afterAck(posted.announce);
      return { message: posted.message };
    },

    // the room's pinned messages, the latest pinned first
    "room:pins": async ({ roomId }, socket) => {
      await requireMembership(ctx, socket, roomId);
      return { messages: await ctx.rooms.pins(roomId) };
    },

    // The change feed: what a client that has seen everything up to `afterRev` is missing.
    "room:sync": async ({ roomId, afterRev, limit }, socket) => {
      await requireMembership(ctx, socket, roomId);
      return ctx.rooms.sync(roomId, afterRev, limit);
    },
  };
}
