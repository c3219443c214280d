import type { RealtimeContext } from "../context.ts";
import type { Handlers } from "../dispatch.ts";

export function webhookHandlers(ctx: RealtimeContext): Pick<Handlers, "webhook:create" | "webhook:list" | "webhook:delete"> {
  const { webhooks } = ctx;
  return {
    // by the room's owner or an admin; the URL carries the secret and is given only here
    "webhook:create": async ({ roomId, name }, socket) => ({
      webhook: await webhooks.createIncoming(socket.data.user, roomId, name),
    }),
    "webhook:list": async ({ roomId }, socket) => ({ webhooks: await webhooks.list(socket.data.user, roomId) }),
    "webhook:delete": async ({ roomId, webhookId }, socket) => {
      await webhooks.remove(socket.data.user, roomId, webhookId);
      return {};
    },
  };
}
