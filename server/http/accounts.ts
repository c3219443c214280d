// A person's own account over HTTP (docs/protocol.md, "Accounts"): changing one's password, and
// setting a new one through a reset link a server admin issued.
import type { HttpAuth } from "../auth/http-auth.ts";
import { issueToken } from "../auth/tokens.ts";
import type { AccountService } from "../services/accounts.ts";
import type { UserService } from "../services/users.ts";
import type { Route } from "./api.ts";
import { readJson, sendJson } from "./respond.ts";

export function accountRoutes({
  auth,
  accounts,
  users,
  secret,
}: {
  auth: HttpAuth;
  accounts: AccountService;
  users: UserService;
  secret: string;
}): Route[] {
  return [
    {
      path: "/api/me",
      methods: {
        GET: async (req, res) => {
          const { user } = await auth(req, "read");
          sendJson(res, 200, { user, isAdmin: await users.isAdmin(user.id) });
        },
      },
    },
    {
      path: "/api/password",
      methods: {
        // every session is signed out, this one too: a script gets a new token to go on with
        POST: async (req, res) => {
          const { user } = await auth(req, "write");
          await accounts.changePassword(user, await readJson(req));
          sendJson(res, 200, { token: await issueToken(user, secret), user });
        },
      },
    },
    {
      path: "/api/password-reset",
      methods: {
        POST: async (req, res) => {
          const user = await accounts.resetPassword(await readJson(req));
          sendJson(res, 200, { user });
        },
      },
    },
  ];
}
