// The emoji picker's data (Emojibase's names, keywords and groups, in each language it has),
// served from our own origin: the picker would otherwise fetch it from a CDN, which a
// self-hosted chat must not depend on (and the pages' CSP forbids). GET and HEAD
// /api/emoji/{locale}/{data|messages}.json, compressed once and kept in memory.
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { AppError } from "../services/errors.ts";
import type { Route } from "./api.ts";

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("emojibase-data/package.json"));
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };

interface Served {
  plain: Buffer;
  gzip: Buffer;
}

export function emojiRoutes(): Route[] {
  const locales = new Set(readdirSync(root, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [d.name] : [])));
  const cache = new Map<string, Served>();
  const etag = `"emojibase-${version}"`;

  const serve = async (req: IncomingMessage, res: ServerResponse, [locale, file]: string[]) => {
    if (!locales.has(locale)) throw new AppError("not_found", "No emoji data in that language.");
    const key = `${locale}/${file}`;
    let served = cache.get(key);
    if (!served) {
      const plain = readFileSync(path.join(root, locale, `${file}.json`));
      served = { plain, gzip: gzipSync(plain) };
      cache.set(key, served);
    }
    const headers: Record<string, string | number> = {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "public, max-age=86400",
      etag,
      vary: "accept-encoding",
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? served.gzip : served.plain;
    res.writeHead(200, { ...headers, "content-length": body.length, ...(gzip ? { "content-encoding": "gzip" } : {}) });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  return [{ path: /^\/api\/emoji\/([a-z]{2}(?:-[a-z]{2,4})?)\/(data|messages)\.json$/, methods: { GET: serve, HEAD: serve } }];
}
