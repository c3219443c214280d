// Shared files over HTTP (docs/protocol.md, "Files"): uploads stream to storage and become a
// message in a room or a conversation; downloads are for the people who can read that room or
// conversation, served so that no browser ever renders or runs them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import type { HttpAuth } from "../auth/http-auth.ts";
import type { FileService } from "../files/files.ts";
import { contentDisposition, declaredType, servedType } from "../files/names.ts";
import { formatLimit } from "../files/storage.ts";
import type { RealtimeContext } from "../realtime/context.ts";
import { conversationFor, type Posted, postToConversation, postToRoom } from "../realtime/posting.ts";
import { AppError } from "../services/errors.ts";
import type { OutgoingMessage } from "../services/messages.ts";
import type { PublicUser } from "../services/users.ts";
import { clientMsgId, id, parse, username } from "../services/validation.ts";
import type { Route } from "./api.ts";
import { sendJson } from "./respond.ts";

const uploadQuery = z
  .object({
    roomId: id.optional(),
    conversationId: id.optional(),
    to: username.optional(),
    name: z.string().min(1, "name: give the file's name").max(1024, "name: at most 1024 characters"),
    clientMsgId,
  })
  .refine(
    (q) => [q.roomId, q.conversationId, q.to].filter((v) => v !== undefined).length === 1,
    "give one of roomId, conversationId or to",
  );

/**
 * A single `Range: bytes=…` of a file of `size` bytes: the span, null to send everything
 * (no range, several ranges, or one we do not read), or "unsatisfiable" (past the end).
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | "unsatisfiable" {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start: number;
  let end: number;
  if (match[1] === "") {
    // the last N bytes
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (end < start && match[2] !== "") return null;
  }
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

// Served files are never run or rendered by a browser: a download is an attachment of a type it
// may not second-guess, in a sandbox with no origin, no scripts and nothing to load.
const SAFE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "sandbox; default-src 'none'",
  "cross-origin-resource-policy": "same-origin",
  "referrer-policy": "no-referrer",
  // a file's bytes never change under its id
  "cache-control": "private, max-age=31536000, immutable",
};

/** Uploads one user may have in flight at once: enough for a few files dropped together. */
export const MAX_UPLOADS_PER_USER = 4;

export function fileRoutes(deps: { files: FileService; auth: HttpAuth; realtime: () => RealtimeContext }): Route[] {
  const { files, auth } = deps;
  const inFlight = new Map<string, number>();

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await auth(req, "write");
    const running = inFlight.get(user.id) ?? 0;
    if (running >= MAX_UPLOADS_PER_USER) {
      throw new AppError("rate_limited", `At most ${MAX_UPLOADS_PER_USER} uploads at once: wait for one to finish.`, {
        retryAfter: 1,
      });
    }
    inFlight.set(user.id, running + 1);
    try {
      await receiveAndPost(user, req, res);
    } finally {
      const left = (inFlight.get(user.id) ?? 1) - 1;
      if (left > 0) inFlight.set(user.id, left);
      else inFlight.delete(user.id);
    }
  }

  async function receiveAndPost(user: PublicUser, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = parse(uploadQuery, Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams));
    const declared = Number(req.headers["content-length"]);
    if (declared > files.maxBytes) {
      throw new AppError("too_large", `The file is larger than the ${formatLimit(files.maxBytes)} upload limit.`);
    }
    // Where it goes, and may this user post there: settled before a byte of the file is read.
    const ctx = deps.realtime();
    let post: (outgoing: OutgoingMessage) => Promise<Posted<unknown>>;
    if (query.roomId !== undefined) {
      const roomId = query.roomId;
      await ctx.rooms.assertMember(user, roomId);
      post = (outgoing) => postToRoom(ctx, roomId, outgoing);
    } else {
      const conversationId = await conversationFor(ctx, user, { toUsername: query.to, conversationId: query.conversationId });
      await ctx.conversations.assertParticipant(user, conversationId);
      post = (outgoing) => postToConversation(ctx, conversationId, outgoing);
    }
    const received = await files.receive(req, { name: query.name, type: declaredType(req.headers["content-type"]) });
    let posted: Posted<unknown>;
    try {
      posted = await post({ author: user, body: "", clientMsgId: query.clientMsgId, file: received.file });
    } catch (error) {
      await received.remove();
      throw error;
    }
    // a repeated clientMsgId (a retry whose answer was lost) gets the file stored the first time
    if (!posted.created) await received.remove();
    posted.announce();
    sendJson(res, posted.created ? 201 : 200, { message: posted.message });
  }

  function download(variant: "file" | "thumbnail") {
    return async (req: IncomingMessage, res: ServerResponse, [fileId]: string[]): Promise<void> => {
      const user = await auth(req, "read");
      const { file, blob } = await files.open(user, fileId, variant);
      const thumbnail = variant === "thumbnail";
      const etag = `"${file.sha256.slice(0, 32)}${thumbnail ? "-thumb" : ""}"`;
      const headers = {
        ...SAFE_HEADERS,
        etag,
        "content-type": thumbnail ? "image/webp" : servedType(file.type),
        "content-disposition": thumbnail
          ? contentDisposition("inline", `${file.name.replace(/\.[^.]*$/, "")}.thumbnail.webp`)
          : contentDisposition("attachment", file.name),
      };
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      // a resumed download asks for the rest (If-Range: only if the file is still the same one)
      const ifRange = req.headers["if-range"];
      const range = ifRange === undefined || ifRange === etag ? byteRange(req.headers.range, blob.size) : null;
      if (range === "unsatisfiable") {
        res.writeHead(416, { ...headers, "content-range": `bytes */${blob.size}` }).end();
        return;
      }
      const status = range ? 206 : 200;
      res.writeHead(status, {
        ...headers,
        "accept-ranges": "bytes",
        "content-length": range ? range.end - range.start + 1 : blob.size,
        ...(range ? { "content-range": `bytes ${range.start}-${range.end}/${blob.size}` } : {}),
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      try {
        await pipeline(blob.read(range ?? undefined), res);
      } catch (error) {
        // the downloader went away: not a server error
        if (!res.destroyed && !res.writableFinished) throw error;
      }
    };
  }

  return [
    { path: "/api/files", methods: { POST: upload } },
    { path: /^\/api\/files\/([A-Za-z0-9-]{1,64})$/, methods: { GET: download("file"), HEAD: download("file") } },
    {
      path: /^\/api\/files\/([A-Za-z0-9-]{1,64})\/thumbnail$/,
      methods: { GET: download("thumbnail"), HEAD: download("thumbnail") },
    },
  ];
}
