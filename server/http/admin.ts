// The server admin's HTTP API (docs/protocol.md, "Administration"): accounts and rooms, for
// server admins only (403 for anyone else). The /admin page uses it; so may a script with a token.
import type { IncomingMessage } from "node:http";
import type { HttpAuth } from "../auth/http-auth.ts";
import { adminRoleChange, adminUserQuery, type PublicUser } from "../protocol/index.ts";
import type { AdminService } from "../services/admin.ts";
import { parse } from "../services/validation.ts";
import type { Route } from "./api.ts";
import { readJson, sendJson } from "./respond.ts";

export function adminRoutes({ auth, admin }: { auth: HttpAuth; admin: AdminService }): Route[] {
  /** The request's user, once they are known to be a server admin. */
  async function asAdmin(req: IncomingMessage, use: "read" | "write"): Promise<PublicUser> {
    const { user } = await auth(req, use);
    await admin.assertAdmin(user);
    return user;
  }
  const queryOf = (req: IncomingMessage) =>
    parse(adminUserQuery, Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams));

  return [
    {
      path: "/api/admin/users",
      methods: {
        GET: async (req, res) => {
          await asAdmin(req, "read");
          const { query, limit } = queryOf(req);
          sendJson(res, 200, { users: await admin.users(query || undefined, limit) });
        },
      },
    },
    {
      path: /^\/api\/admin\/users\/([^/]{1,64})\/(deactivate|reactivate)$/,
      methods: {
        POST: async (req, res, [userId, action]) => {
          const actor = await asAdmin(req, "write");
          sendJson(res, 200, { user: await admin.setActive(actor, userId, action === "reactivate") });
        },
      },
    },
    {
      path: /^\/api\/admin\/users\/([^/]{1,64})\/admin$/,
      methods: {
        PUT: async (req, res, [userId]) => {
          await asAdmin(req, "write");
          const { isAdmin } = parse(adminRoleChange, await readJson(req));
          sendJson(res, 200, { user: await admin.setAdmin(userId, isAdmin) });
        },
      },
    },
    {
      path: "/api/admin/rooms",
      methods: {
        GET: async (req, res) => {
          await asAdmin(req, "read");
          const { query, limit } = queryOf(req);
          sendJson(res, 200, { rooms: await admin.rooms(query || undefined, limit) });
        },
      },
    },
  ];
}
