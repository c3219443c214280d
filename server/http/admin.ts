// The server admin's HTTP API (docs/protocol.md, "Administration"): accounts and rooms, for
// server admins only (403 for anyone else). The /admin page uses it; so may a script with a token.
import type { IncomingMessage } from "node:http";
import type { HttpAuth } from "../auth/http-auth.ts";
import {
  adminRoleChange,
  adminUserQuery,
  type PublicUser,
  serverInviteRequest,
  serverSettingsChange,
} from "../protocol/index.ts";
import type { AccountService } from "../services/accounts.ts";
import type { AdminService } from "../services/admin.ts";
import type { ServerSettingsService } from "../services/server-settings.ts";
import { parse } from "../services/validation.ts";
import type { Route } from "./api.ts";
import { readJson, sendJson } from "./respond.ts";

export function adminRoutes({
  auth,
  admin,
  accounts,
  settings,
}: {
  auth: HttpAuth;
  admin: AdminService;
  accounts: AccountService;
  settings: ServerSettingsService;
}): Route[] {
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
      path: /^\/api\/admin\/users\/([^/]{1,64})\/reset-password$/,
      methods: {
        POST: async (req, res, [userId]) => {
          const actor = await asAdmin(req, "write");
          sendJson(res, 200, await accounts.issueReset(actor, userId));
        },
      },
    },
    {
      path: "/api/admin/settings",
      methods: {
        GET: async (req, res) => {
          await asAdmin(req, "read");
          sendJson(res, 200, { settings: await settings.read() });
        },
        PUT: async (req, res) => {
          await asAdmin(req, "write");
          const change = parse(serverSettingsChange, await readJson(req));
          if (change.defaultRoomId) await admin.assertRoom(change.defaultRoomId);
          sendJson(res, 200, { settings: await settings.change(change) });
        },
      },
    },
    {
      path: "/api/admin/invites",
      methods: {
        GET: async (req, res) => {
          await asAdmin(req, "read");
          sendJson(res, 200, { invites: await accounts.invites() });
        },
        POST: async (req, res) => {
          const actor = await asAdmin(req, "write");
          sendJson(res, 201, { invite: await accounts.createInvite(actor, parse(serverInviteRequest, await readJson(req))) });
        },
      },
    },
    {
      path: /^\/api\/admin\/invites\/([A-Za-z0-9_-]{1,64})$/,
      methods: {
        DELETE: async (req, res, [token]) => {
          await asAdmin(req, "write");
          await accounts.revokeInvite(token);
          res.writeHead(204).end();
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
