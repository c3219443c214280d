import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";
import { enterRoom } from "../membership.ts";

export function webhookHandlers(ctx: RealtimeContext): Pick<Handlers, "webhook:create" | "webhook:list" | "webhook:delete"> {
  const { webhooks } = ctx;
  return {
    // by the room's owner or an admin; the incoming URL (it carries the secret) and the outgoing
    // signing secret are given only here
    "webhook:create": async ({ roomId, name, kind, url, triggers }, socket) => {
      if (kind === "incoming") return { webhook: await webhooks.createIncoming(socket.data.user, roomId, name) };
      const made = await webhooks.createOutgoing(socket.data.user, roomId, {
        name,
        url: url as string,
        triggers: triggers ?? [],
      });
      // its bot is a member, to be mentioned: the members see it join
      const bot = { id: made.webhook.bot.id, username: made.webhook.bot.username };
      await enterRoom(ctx, bot, roomId, { member: made.member });
      return { webhook: made.webhook, signingSecret: made.signingSecret };
    },
    "webhook:list": async ({ roomId }, socket) => ({ webhooks: await webhooks.list(socket.data.user, roomId) }),
    "webhook:delete": async ({ roomId, webhookId }, socket) => {
      await webhooks.remove(socket.data.user, roomId, webhookId);
      return {};
    },
  };
}
