import { type RealtimeContext, userChannel } from "../context.ts";
import type { Handlers } from "../dispatch.ts";

export function userHandlers(
  ctx: RealtimeContext,
): Pick<Handlers, "user:get" | "user:search" | "user:unread" | "user:settings" | "user:profile" | "user:profiles" | "search"> {
  return {
    // what the tab title counts: every room and conversation of mine with unread messages
    "user:unread": async (_input, socket) => {
      const { id } = socket.data.user;
      const [rooms, conversations] = await Promise.all([ctx.rooms.unreadOf(id), ctx.conversations.unreadOf(id)]);
      return { rooms, conversations };
    },
    // my notification settings: read them, or change some (every connection of mine hears it)
    "user:settings": async (change, socket, afterAck) => {
      const { id } = socket.data.user;
      if (!change || Object.keys(change).length === 0) return { settings: await ctx.users.settingsOf(id) };
      const settings = await ctx.users.changeSettings(id, change);
      afterAck(() => ctx.io.to(userChannel(id)).emit("user:settings", { settings }));
      return { settings };
    },
    "user:search": async ({ query, limit }) => {
      const users = await ctx.users.search(query, limit);
      return { users: users.map((user) => ({ ...user, online: ctx.presence.isOnline(user.id) })) };
    },
    // messages: only in the rooms and conversations of the one asking (the index's query says so)
    search: (input, socket) => ctx.search.search(socket.data.user, input),
    "user:get": async ({ username }) => {
      const { id } = await ctx.users.findByUsername(username);
      return { user: { ...(await ctx.profiles.profile(id)), online: ctx.presence.isOnline(id) } };
    },
    // who people are (the browser asks for those it shows, and keeps them)
    "user:profiles": async ({ ids }) => ({ profiles: await ctx.profiles.profiles(ids) }),
    // my display name and status: everyone connected hears of the change
    "user:profile": async (change, socket, afterAck) => {
      const profile = await ctx.profiles.update(socket.data.user.id, change);
      afterAck(() => ctx.io.emit("user:updated", profile));
      return { profile };
    },
  };
}
