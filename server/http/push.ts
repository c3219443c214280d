// Web Push subscriptions over HTTP (docs/protocol.md, "Push"): the server's public VAPID key, and
// a signed-in browser's subscription kept (POST) or forgotten (DELETE).
import type { HttpAuth } from "../auth/http-auth.ts";
import type { PushService } from "../push/push.ts";
import type { Route } from "./api.ts";
import { readJson, sendJson } from "./respond.ts";

export function pushRoutes({ auth, push }: { auth: HttpAuth; push: PushService }): Route[] {
  return [
    {
      path: "/api/push/key",
      methods: {
        GET: async (_req, res) => sendJson(res, 200, { publicKey: push.keys.publicKey }),
      },
    },
    {
      path: "/api/push/subscriptions",
      methods: {
        POST: async (req, res) => {
          const { user } = await auth(req, "write");
          await push.subscribe(user, await readJson(req));
          res.writeHead(204).end();
        },
        DELETE: async (req, res) => {
          const { user } = await auth(req, "write");
          const body = (await readJson(req)) as { endpoint?: unknown } | null;
          await push.unsubscribe(user, body?.endpoint);
          res.writeHead(204).end();
        },
      },
    },
  ];
}
