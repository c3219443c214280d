// The terminal client's HTTP side (docs/protocol.md): a token for a password, uploads and
// downloads. Each call answers with what happened or why not (the server's error code, or
// `network` when it cannot be reached); none throws for a refusal or an unreachable server.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { io } from "socket.io-client";
import type {
  ErrorBody,
  ProtocolSocket,
  TokenReply,
  UploadQuery,
  UploadReply,
  WireDirectMessage,
  WireMessage,
} from "../../server/protocol/index.ts";
import { oneByOne } from "../../server/protocol/index.ts";
import { dispositionName } from "./local-files.ts";

/** Why a call failed: the server's `code` (with `retryAfter`), `network`, or `local` (writing here). */
export type Failure = { ok: false; code: string; retryAfter?: number; reason: string };

async function errorOf(res: Response): Promise<Failure> {
  const body = (await res.json().catch(() => ({}))) as { error?: ErrorBody };
  const code = body.error?.code ?? (res.status === 413 ? "too_large" : "internal");
  return { ok: false, code, retryAfter: body.error?.retryAfter, reason: body.error?.message ?? `HTTP ${res.status}` };
}

export class Api {
  constructor(readonly base: string) {}

  private unreachable(): Failure {
    return { ok: false, code: "network", reason: `cannot reach ${this.base}` };
  }

  /** GET /api/me with an API token: whom it speaks for (the token is used as it is). */
  async me(token: string): Promise<{ ok: true; token: string; username: string } | Failure> {
    const res = await fetch(`${this.base}/api/me`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
    if (!res) return this.unreachable();
    if (!res.ok) return errorOf(res);
    const { user } = (await res.json()) as { user: { username: string } };
    return { ok: true, token, username: user.username };
  }

  /** POST /api/token: the bearer token for the socket and the HTTP API. */
  async signIn(username: string, password: string): Promise<{ ok: true; token: string; username: string } | Failure> {
    const res = await fetch(`${this.base}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    }).catch(() => null);
    if (!res) return this.unreachable();
    if (!res.ok) return errorOf(res);
    const { token, user } = (await res.json()) as TokenReply;
    return { ok: true, token, username: user.username };
  }

  /** A socket that reconnects by itself (the session catches up after each reconnect). */
  connect(token: string): ProtocolSocket {
    const socket: ProtocolSocket = io(this.base, { transports: ["websocket"], auth: { token }, reconnectionDelayMax: 5000 });
    // batches (messages:new) reach the session's message:new listener one message at a time
    oneByOne(socket);
    return socket;
  }

  /** Streams a local file to POST /api/files: the server makes it a message. */
  async upload(
    token: string,
    local: { path: string; name: string; size: number; type: string },
    query: UploadQuery,
  ): Promise<{ ok: true; message: WireMessage | WireDirectMessage } | Failure> {
    const search = new URLSearchParams(query as Record<string, string>);
    const res = await fetch(`${this.base}/api/files?${search}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": local.type, "content-length": String(local.size) },
      body: Readable.toWeb(createReadStream(local.path)) as ReadableStream,
      duplex: "half",
    } as RequestInit).catch(() => null);
    if (!res) return this.unreachable();
    if (!res.ok) return errorOf(res);
    return { ok: true, message: ((await res.json()) as UploadReply).message };
  }

  /**
   * GET /api/files/ID into `destination(name)`, through a `.part` file beside it renamed at the
   * end, so an interrupted download never leaves half a file.
   */
  async download(
    token: string,
    id: string,
    destination: (serverName: string) => string,
  ): Promise<{ ok: true; name: string; size: number; path: string } | Failure> {
    const res = await fetch(`${this.base}/api/files/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${token}` },
    }).catch(() => null);
    if (!res) return this.unreachable();
    if (!res.ok || !res.body) return errorOf(res);
    const name = dispositionName(res.headers.get("content-disposition") ?? "");
    const target = destination(name);
    const partial = `${target}.${randomBytes(4).toString("hex")}.part`;
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(partial));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      return { ok: false, code: "local", reason: (error as Error).message };
    }
    return { ok: true, name, size: Number(res.headers.get("content-length") ?? 0), path: target };
  }
}
