// Exports over HTTP (docs/integrations.md, "Export"): ask for a room's history or your own
// data (202: made in the background), list yours, download one once it is ready.
import { pipeline } from "node:stream/promises";
import type { HttpAuth } from "../auth/http-auth.ts";
import { contentDisposition } from "../files/names.ts";
import type { ExportService } from "../services/exports/exports.ts";
import type { Route } from "./api.ts";
import { sendJson } from "./respond.ts";

export function exportRoutes({ auth, exports }: { auth: HttpAuth; exports: ExportService }): Route[] {
  return [
    {
      path: /^\/api\/rooms\/([^/]+)\/export$/,
      methods: {
        POST: async (req, res, [roomId]) => {
          const { user } = await auth(req, "write");
          sendJson(res, 202, { export: await exports.room(user, decodeURIComponent(roomId)) });
        },
      },
    },
    {
      path: "/api/me/export",
      methods: {
        POST: async (req, res) => {
          const { user } = await auth(req, "write");
          sendJson(res, 202, { export: await exports.personal(user) });
        },
      },
    },
    {
      path: "/api/exports",
      methods: {
        GET: async (req, res) => sendJson(res, 200, { exports: await exports.list((await auth(req, "read")).user) }),
      },
    },
    {
      path: /^\/api\/exports\/([A-Za-z0-9-]{1,64})\/download$/,
      methods: {
        GET: async (req, res, [id]) => {
          const { user } = await auth(req, "read");
          const { info, blob } = await exports.open(user, id);
          const name = `komnata-${info.kind === "room" ? (info.room?.name ?? "room") : user.username}-${info.createdAt.slice(0, 10)}.zip`;
          res.writeHead(200, {
            "content-type": "application/zip",
            "content-length": blob.size,
            "content-disposition": contentDisposition("attachment", name),
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
          });
          await pipeline(blob.read(), res);
        },
      },
    },
  ];
}
