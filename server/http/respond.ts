// The one place where HTTP errors are shaped: `{ error: { code, message } }` with the status
// that code maps to. Stacks go to the log only.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.ts";
import { AppError, HTTP_STATUS, toErrorBody } from "../services/errors.ts";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown, log: Logger): void {
  const body = toErrorBody(error);
  if (error instanceof AppError) log.info({ code: body.code, msg: body.message }, "http request refused");
  else log.error({ err: error }, "http request failed");
  const headers: Record<string, string> = body.retryAfter ? { "retry-after": String(body.retryAfter) } : {};
  sendJson(res, HTTP_STATUS[body.code], { error: body }, headers);
}

/** Reads a JSON body of at most `limit` bytes. */
export async function readJson(req: IncomingMessage, limit = 16 * 1024): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError("invalid_input", "Send the body as application/json.");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError("invalid_input", `Body too large (limit ${limit} bytes).`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new AppError("invalid_input", "Body is not valid JSON.");
  }
}

/**
 * For an answer given before the request's body was read (413, 401, ...): close the connection
 * afterwards, but gently. Node would destroy the socket as soon as the answer is written, and a
 * reset while the client is still sending can make it lose the answer; instead the server sends
 * its FIN, drops whatever still arrives, and destroys the socket when the client stops (or after
 * five seconds).
 */
export function closeGently(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  res.setHeader("connection", "close");
  const socket = req.socket;
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    socket.once("end", () => socket.destroy());
    req.resume();
    socket.resume();
    setTimeout(() => socket.destroy(), 5000).unref();
  };
}
