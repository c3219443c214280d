// The public HTTP API for non-browser clients (docs/protocol.md). It lives in the custom server,
// beside Socket.IO, rather than in app/api: docs/decisions/005-api-in-custom-server.md.
import type { IncomingMessage, ServerResponse } from "node:http";
import { issueToken } from "../auth/tokens.ts";
import type { Logger } from "../log.ts";
import type { AccountService } from "../services/accounts.ts";
import type { UserService } from "../services/users.ts";
import { closeGently, logError, readJson, sendError, sendJson } from "./respond.ts";

export interface ApiOptions {
  accounts: AccountService;
  users: UserService;
  secret: string;
  log: Logger;
  clientAddress: (req: IncomingMessage) => string;
  /** the node's health (server/http/health.ts) and what else it reports */
  health: () => Promise<{ ok: boolean } & Record<string, unknown>>;
  /** more routes: the shared files' (server/http/files.ts) */
  routes?: Route[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>;

/** A path (exact, or a pattern whose groups become `params`) and its handler per method. */
export interface Route {
  path: string | RegExp;
  methods: Record<string, Handler>;
}

/** Answers a request if one of its routes matches (true), else leaves it (false); `routes` lists them (the OpenAPI test reads it). */
export type Api = ((req: IncomingMessage, res: ServerResponse) => boolean) & { routes: readonly Route[] };

export function createApi(options: ApiOptions): Api {
  const { accounts, users, secret, log, clientAddress } = options;

  const routes: Route[] = [
    {
      path: "/api/register",
      methods: {
        POST: async (req, res) => {
          const user = await accounts.register(await readJson(req), clientAddress(req));
          sendJson(res, 201, { user });
        },
      },
    },
    {
      path: "/api/token",
      methods: {
        POST: async (req, res) => {
          const user = await users.verifyCredentials(await readJson(req), clientAddress(req));
          sendJson(res, 200, { token: await issueToken(user, secret), user });
        },
      },
    },
    {
      path: "/api/health",
      methods: {
        GET: async (_req, res) => {
          const health = await options.health();
          sendJson(res, health.ok ? 200 : 503, health);
        },
      },
    },
    ...(options.routes ?? []),
  ];

  function match(path: string): { methods: Record<string, Handler>; params: string[] } | null {
    for (const route of routes) {
      if (typeof route.path === "string") {
        if (route.path === path) return { methods: route.methods, params: [] };
        continue;
      }
      const found = route.path.exec(path);
      if (found) return { methods: route.methods, params: found.slice(1) };
    }
    return null;
  }

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? "/").split("?")[0];
    const matched = match(path);
    if (!matched) return false;
    const { methods, params } = matched;
    const route = methods[req.method ?? "GET"];
    if (!route) {
      const allowed = Object.keys(methods).join(", ");
      closeGently(req, res);
      sendJson(
        res,
        405,
        { error: { code: "invalid_input", message: `Use ${Object.keys(methods).join(" or ")}.` } },
        { allow: allowed },
      );
      return true;
    }
    route(req, res, params).catch((error: unknown) => {
      if (res.destroyed) {
        // the client went away (an upload cut off): nobody to answer, but the log says why
        logError(error, log);
        return;
      }
      if (res.headersSent) {
        log.error({ err: error }, "http response failed after headers were sent");
        res.destroy();
        return;
      }
      try {
        closeGently(req, res);
        sendError(res, error, log);
      } catch (failure) {
        // the answer itself failed: never leave the connection open
        log.error({ err: failure }, "could not send an error answer");
        res.destroy();
      }
    });
    return true;
  };
  return Object.assign(handle, { routes });
}
