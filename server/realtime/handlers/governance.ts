// A room's owner and admins at work: its settings, invitations and invite links, removing and
// banning people, roles. The services decide who may (server/services/moderation.ts); these
// handlers tell every connection that must know, on every node.
import type { RealtimeContext } from "../context.ts";
import { roomChannel, userChannel, watchChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { enterRoom, removeFromRoom } from "../membership.ts";

export function governanceHandlers(
  ctx: RealtimeContext,
): Pick<
  Handlers,
  | "room:update"
  | "room:invite"
  | "room:invitations"
  | "room:invitation:respond"
  | "room:invite-link:create"
  | "room:invite-links"
  | "room:invite-link:revoke"
  | "room:kick"
  | "room:ban"
  | "room:unban"
  | "room:bans"
  | "room:set-role"
> {
  const { io, rooms, moderation, invitations, users, presence } = ctx;

  return {
    // Everyone hears of a change to a room that is or was public (a lobby lists it, or must drop
    // it when it turns private); only the members of a private one.
    "room:update": async ({ roomId, ...change }, socket, afterAck) => {
      const { user } = socket.data;
      const serverAdmin = change.archived !== undefined && (await users.isAdmin(user.id));
      const { before, after } = await moderation.update(user, roomId, change, serverAdmin);
      const room = await rooms.publicSummary(roomId);
      const announced = { ...room, onlineCount: presence.onlineCount(roomId) };
      afterAck(() => {
        const everyone = before === "public" || after === "public";
        (everyone ? io : io.to([roomChannel(roomId), userChannel(user.id)])).emit("room:updated", announced);
        // a room turned private is no business of the lobbies that watched its counts
        if (after === "private") io.in(watchChannel(roomId)).socketsLeave(watchChannel(roomId));
      });
      return { room: announced };
    },

    "room:invite": async ({ roomId, username }, socket, afterAck) => {
      const { invitation, userId } = await invitations.invite(socket.data.user, roomId, username);
      afterAck(() => io.to(userChannel(userId)).emit("room:invited", invitation));
      return { invitation };
    },

    "room:invitations": async (_input, socket) => ({ invitations: await invitations.pending(socket.data.user) }),

    // Accepting joins the room as room:join would; declining forgets the invitation. Either way
    // every connection of the invitee drops it.
    "room:invitation:respond": async ({ roomId, accept }, socket, afterAck) => {
      const { user } = socket.data;
      afterAck(() => io.to(userChannel(user.id)).emit("room:invitation-closed", { roomId }));
      if (!accept) {
        await invitations.decline(user, roomId);
        return { room: null };
      }
      await invitations.assertInvited(user, roomId);
      const joined = await rooms.join(user, roomId);
      await enterRoom(ctx, user, roomId, joined);
      return { room: { ...(await rooms.get(roomId, user)), onlineCount: presence.onlineCount(roomId) } };
    },

    "room:invite-link:create": async ({ roomId, expiresInHours, maxUses }, socket) => ({
      link: await invitations.createLink(socket.data.user, roomId, { expiresInHours, maxUses }),
    }),
    "room:invite-links": async ({ roomId }, socket) => ({ links: await invitations.links(socket.data.user, roomId) }),
    "room:invite-link:revoke": async ({ roomId, token }, socket) => {
      await invitations.revokeLink(socket.data.user, roomId, token);
      return {};
    },

    "room:kick": async ({ roomId, userId }, socket) => {
      await moderation.kick(socket.data.user, roomId, userId);
      // at once, before the answer: nothing of the room reaches them after this
      await removeFromRoom(ctx, userId, roomId, "kicked");
      return {};
    },

    "room:ban": async ({ roomId, userId }, socket) => {
      const { wasMember, wasInvited } = await moderation.ban(socket.data.user, roomId, userId);
      if (wasMember) await removeFromRoom(ctx, userId, roomId, "banned");
      if (wasInvited) io.to(userChannel(userId)).emit("room:invitation-closed", { roomId });
      return {};
    },

    "room:unban": async ({ roomId, userId }, socket) => {
      await moderation.unban(socket.data.user, roomId, userId);
      return {};
    },

    "room:bans": async ({ roomId }, socket) => ({ bans: await moderation.bans(socket.data.user, roomId) }),

    "room:set-role": async ({ roomId, userId, role }, socket, afterAck) => {
      const changed = await moderation.setRole(socket.data.user, roomId, userId, role);
      const members = changed.map((m) => ({ ...m, online: presence.isOnline(m.id) }));
      afterAck(() => {
        for (const member of members) io.to(roomChannel(roomId)).emit("room:member-updated", { roomId, member });
      });
      const target = members.find((m) => m.id === userId);
      return { member: target ?? { ...(await rooms.memberOf(roomId, userId)), online: presence.isOnline(userId) } };
    },
  };
}
