import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";

export function userHandlers(ctx: RealtimeContext): Pick<Handlers, "user:get" | "user:search" | "user:unread"> {
  return {
    // what the tab title counts: every room and conversation of mine with unread messages
    "user:unread": async (_input, socket) => {
      const { id } = socket.data.user;
      const [rooms, conversations] = await Promise.all([ctx.rooms.unreadOf(id), ctx.conversations.unreadOf(id)]);
      return { rooms, conversations };
    },
    "user:search": async ({ query, limit }) => {
      const users = await ctx.users.search(query, limit);
      return { users: users.map((user) => ({ ...user, online: ctx.presence.isOnline(user.id) })) };
    },
    "user:get": async ({ username }) => {
      const user = await ctx.users.findByUsername(username);
      return { user: { ...user, online: ctx.presence.isOnline(user.id) } };
    },
  };
}
