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

/** Logs why a request was not served: a refusal at info, a failure (with its stack) at error. */
export function logError(error: unknown, log: Logger): void {
  const body = toErrorBody(error);
  if (error instanceof AppError) log.info({ code: body.code, reason: body.message }, "http request refused");
  else log.error({ err: error }, "http request failed");
}

export function sendError(res: ServerResponse, error: unknown, log: Logger): void {
  const body = toErrorBody(error);
  logError(error, log);
  const headers: Record<string, string> = body.retryAfter ? { "retry-after": String(body.retryAfter) } : {};
  sendJson(res, HTTP_STATUS[body.code], { error: body }, headers);
}

/** The largest JSON body the API reads (accounts and tokens need a few hundred bytes). */
export const MAX_JSON_BYTES = 16 * 1024;

/**
 * Reads a JSON body of at most `limit` bytes. A declared `Content-Length` over the limit is
 * refused before a byte is read; a chunked body is refused as it passes the limit. Either way the
 * request is left alone for `closeGently` to drain, so the answer (413) always goes out.
 */
export async function readJson(req: IncomingMessage, limit = MAX_JSON_BYTES): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError("invalid_input", "Send the body as application/json.");
  }
  const text = await readText(req, limit);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "Body is not valid JSON.");
  }
}

/** Reads a body of at most `limit` bytes as UTF-8 text, with readJson's limits. */
export async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new AppError("too_large", `The body is larger than ${limit} bytes.`);
  if (Number(req.headers["content-length"]) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  const body = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve();
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const stop = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      req.pause();
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
  await body;
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * For an answer given before the request's body was read (413, 401, ...): close the connection
 * afterwards, but gently. Node would destroy the socket as soon as the answer is written, and a
 * reset while the client is still sending can make it lose the answer; instead the server sends
 * its FIN, drops whatever still arrives, and destroys the socket when the client stops (or after
 * five seconds).
 */
export function closeGently(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  // a request read to its end leaves the connection reusable; one already torn down has no socket
  if (req.complete || !socket || socket.destroyed) return;
  res.setHeader("connection", "close");
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    socket.once("end", () => socket.destroy());
    req.resume();
    socket.resume();
    setTimeout(() => socket.destroy(), 5000).unref();
  };
}
