// Signing out over HTTP (docs/protocol.md): POST /api/logout ends the session whose credentials
// come with the request (a bearer token, or the browser's cookie from our own pages); POST
// /api/logout-all ends every session of the user. Their connections close at once.
import type { HttpAuth } from "../auth/http-auth.ts";
import type { SessionService } from "../services/sessions.ts";
import type { Route } from "./api.ts";

export function sessionRoutes({ auth, sessions }: { auth: HttpAuth; sessions: SessionService }): Route[] {
  return [
    {
      path: "/api/logout",
      methods: {
        POST: async (req, res) => {
          const { claim } = await auth(req, "write");
          await sessions.revoke(claim);
          res.writeHead(204).end();
        },
      },
    },
    {
      path: "/api/logout-all",
      methods: {
        POST: async (req, res) => {
          const { user } = await auth(req, "write");
          await sessions.revokeAll(user.id);
          res.writeHead(204).end();
        },
      },
    },
  ];
}
