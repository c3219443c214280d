// Shared files over HTTP (docs/protocol.md, "Files"): uploads stream to storage and become a
// message in a room or a conversation; downloads are for the people who can read that room or
// conversation, served so that no browser ever renders or runs them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { HttpAuth } from "../auth/http-auth.ts";
import { secondsUntil } from "../auth/limiter.ts";
import type { FileService, FileVariant } from "../files/files.ts";
import { contentDisposition, declaredType, servedType } from "../files/names.ts";
import { formatLimit, type StoredBlob } from "../files/storage.ts";
import { MAX_UPLOADS_PER_USER, type PublicUser, type UploadReply, uploadQuery } from "../protocol/index.ts";
import type { ConversationService } from "../services/conversations.ts";
import { AppError } from "../services/errors.ts";
import type { OutgoingMessage } from "../services/messages.ts";
import type { Posted, PostingService } from "../services/posting.ts";
import type { RoomService } from "../services/rooms.ts";
import { parse } from "../services/validation.ts";
import type { Route } from "./api.ts";
import { byteRange } from "./byte-range.ts";
import { sendJson } from "./respond.ts";

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

// A PDF opened in the browser's viewer: still sandboxed (no scripts, forms, pop-ups or
// navigation; nothing loaded), but keeping its origin, without which Chromium's viewer shows
// an empty page.
const PDF_VIEW_POLICY = "sandbox allow-same-origin; default-src 'none'";

/** Whether a stored file is a PDF by its bytes: "%PDF-" within its first kilobyte (where readers look for it). */
async function isPdf(blob: StoredBlob): Promise<boolean> {
  if (blob.size < 5) return false;
  const head = await buffer(blob.read({ start: 0, end: Math.min(blob.size, 1024) - 1 }));
  return head.includes("%PDF-");
}

export interface FileRouteDeps {
  auth: HttpAuth;
  /** uploads a user may start in a minute (UPLOADS_PER_MINUTE) */
  uploadRate: RateLimiterAbstract;
  files: FileService;
  posting: PostingService;
  rooms: RoomService;
  conversations: ConversationService;
}

export function fileRoutes({ auth, uploadRate, files, posting, rooms, conversations }: FileRouteDeps): Route[] {
  const inFlight = new Map<string, number>();

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { user } = await auth(req, "write");
    try {
      await uploadRate.consume(user.id);
    } catch (refused) {
      if (refused instanceof Error) throw refused;
      const wait = secondsUntil((refused as { msBeforeNext: number }).msBeforeNext);
      throw new AppError("rate_limited", `Too many files shared in a minute. Try again in ${wait} s.`, { retryAfter: wait });
    }
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
    await files.checkQuota(user, Number.isFinite(declared) ? declared : 0);
    // Where it goes, and may this user post there: settled before a byte of the file is read.
    let post: (outgoing: OutgoingMessage) => Promise<Posted<UploadReply["message"]>>;
    if (query.roomId !== undefined) {
      const roomId = query.roomId;
      await rooms.assertMember(user, roomId);
      post = (outgoing) => posting.toRoom(roomId, outgoing);
    } else {
      const conversationId = await posting.conversationFor(user, { toUsername: query.to, conversationId: query.conversationId });
      await conversations.assertParticipant(user, conversationId);
      post = (outgoing) => posting.toConversation(conversationId, outgoing);
    }
    const received = await files.receive(req, { name: query.name, type: declaredType(req.headers["content-type"]) });
    let posted: Posted<UploadReply["message"]>;
    try {
      // a body sent without its length is counted once it is here
      await files.checkQuota(user, received.file.size);
      posted = await post({ author: user, body: "", clientMsgId: query.clientMsgId, file: received.file });
    } catch (error) {
      await received.remove();
      throw error;
    }
    // a repeated clientMsgId (a retry whose answer was lost) gets the file stored the first time
    if (!posted.created) await received.remove();
    posted.announce();
    const reply: UploadReply = { message: posted.message };
    sendJson(res, posted.created ? 201 : 200, reply);
  }

  /**
   * GET/HEAD of a file as one of its forms: `file` downloads the bytes as an attachment;
   * `thumbnail` and `preview` are pictures made here (WebP), shown inline; `view` is a PDF for
   * the browser's own viewer, inline in a sandbox without scripts (only a real PDF: its bytes
   * must say so, whatever type the uploader declared).
   */
  function download(form: FileVariant | "view") {
    return async (req: IncomingMessage, res: ServerResponse, [fileId]: string[]): Promise<void> => {
      const { user } = await auth(req, "read");
      const { file, blob } = await files.open(user, fileId, form === "view" ? "file" : form);
      if (form === "view" && !(file.type === "application/pdf" && (await isPdf(blob)))) {
        throw new AppError("not_found", "Only a PDF opens in the browser; download this file instead.");
      }
      const base = file.name.replace(/\.[^.]*$/, "");
      const etag = `"${file.sha256.slice(0, 32)}${form === "file" ? "" : `-${form}`}"`;
      const headers = {
        ...SAFE_HEADERS,
        ...(form === "view" ? { "content-security-policy": PDF_VIEW_POLICY } : {}),
        etag,
        "content-type": form === "file" ? servedType(file.type) : form === "view" ? "application/pdf" : "image/webp",
        "content-disposition":
          form === "file"
            ? contentDisposition("attachment", file.name)
            : form === "view"
              ? contentDisposition("inline", file.name)
              : contentDisposition("inline", `${base}.${form}.webp`),
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
    {
      path: /^\/api\/files\/([A-Za-z0-9-]{1,64})\/preview$/,
      methods: { GET: download("preview"), HEAD: download("preview") },
    },
    { path: /^\/api\/files\/([A-Za-z0-9-]{1,64})\/view$/, methods: { GET: download("view"), HEAD: download("view") } },
  ];
}
