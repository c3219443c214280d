import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";

export function userHandlers(ctx: RealtimeContext): Pick<Handlers, "user:get"> {
  return {
    "user:get": async ({ username }) => {
      const user = await ctx.users.findByUsername(username);
      return { user: { ...user, online: ctx.presence.isOnline(user.id) } };
    },
  };
}
