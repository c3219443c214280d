// The public HTTP API for non-browser clients (docs/protocol.md). It lives in the custom server,
// beside Socket.IO, rather than in app/api: docs/decisions/005-api-in-custom-server.md.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.ts";
import { issueToken } from "../auth/tokens.ts";
import type { UserService } from "../services/users.ts";
import { readJson, sendError, sendJson } from "./respond.ts";

export interface ApiOptions {
  users: UserService;
  secret: string;
  log: Logger;
  clientAddress: (req: IncomingMessage) => string;
  health: () => Record<string, unknown>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createApi(options: ApiOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { users, secret, log, clientAddress } = options;

  const routes: Record<string, Record<string, Route>> = {
    "/api/register": {
      POST: async (req, res) => {
        const user = await users.register(await readJson(req), clientAddress(req));
        sendJson(res, 201, { user });
      },
    },
    "/api/token": {
      POST: async (req, res) => {
        const user = await users.verifyCredentials(await readJson(req), clientAddress(req));
        sendJson(res, 200, { token: await issueToken(user, secret), user });
      },
    },
    "/api/health": {
      GET: async (_req, res) => sendJson(res, 200, { ok: true, ...options.health() }),
    },
  };

  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const methods = routes[path];
    if (!methods) return false;
    const route = methods[req.method ?? "GET"];
    if (!route) {
      sendJson(
        res,
        405,
        { error: { code: "invalid_input", message: `Use ${Object.keys(methods).join(" or ")}.` } },
        {
          allow: Object.keys(methods).join(", "),
        },
      );
      return true;
    }
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        log.error({ err: error }, "http response failed after headers were sent");
        res.destroy();
      } else sendError(res, error, log);
    });
    return true;
  };
}
