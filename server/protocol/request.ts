// The one typed way a Socket.IO client makes a request: the browser, the terminal client, the
// benchmark and the tests all go through it, so `tsc` fails wherever a payload or a reply drifts
// from the contract. Only types come from socket.io-client: nothing here runs its code.
import type { Socket } from "socket.io-client";
import { sentThrough } from "./delivery.ts";
import type { ErrorCode } from "./errors.ts";
import type { Ack, ClientEvent, ClientToServerEvents, Input, Replies, ServerToClientEvents } from "./events.ts";

export type ProtocolSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A refused request (its `code` is the server's), or one that got no answer in time (`timeout`). */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode | "timeout",
    message: string,
    /** for rate_limited: seconds until a retry can succeed */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export const REQUEST_TIMEOUT_MS = 10_000;

/** Sends a request and resolves with its ack, refused or not; rejects with a `timeout` RequestError. */
export async function sendRequest<E extends ClientEvent>(
  socket: ProtocolSocket,
  event: E,
  payload: Input<E>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Ack<Replies[E]>> {
  // socket.io-client's types cannot follow a generic event through timeout(): this cast is the only one
  const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: E, p: Input<E>): Promise<Ack<Replies[E]>> };
  let reply: Ack<Replies[E]>;
  try {
    reply = await timed.emitWithAck(event, payload);
  } catch {
    throw new RequestError("timeout", "No answer from the server. Check your connection.");
  }
  // the server does not send a connection its own new message: the ack is its copy
  if (reply.ok) sentThrough(socket, event, reply);
  return reply;
}

/** Sends a request and resolves with its successful reply; rejects with a RequestError. */
export async function request<E extends ClientEvent>(
  socket: ProtocolSocket,
  event: E,
  payload: Input<E>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Replies[E]> {
  const reply = await sendRequest(socket, event, payload, timeoutMs);
  if (!reply.ok) throw new RequestError(reply.error.code, reply.error.message, reply.error.retryAfter);
  return reply;
}
