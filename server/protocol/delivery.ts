// How new messages reach a client (docs/protocol.md, "How new messages arrive"): one
// `message:new` (or `dm:new`) per message to every connection but the one that sent it, whose ack
// carries it; and a `messages:new` batch when a room's messages were stored together. A client
// that would rather handle one event installs `oneByOne` on its socket: each message of a batch,
// and the message of each of its own acknowledged sends (through ./request.ts), then reaches its
// `message:new` / `dm:new` listeners, each message once. Only types come from socket.io-client.
import type { Payload } from "./events.ts";
import type { ProtocolSocket } from "./request.ts";
import type { WireDirectMessage, WireMessage } from "./wire.ts";

/** per socket: the ids handed to its listeners lately (a batch can carry a message already acked) */
const handedOver = new WeakMap<ProtocolSocket, Set<string>>();
const REMEMBERED = 512;

type Listener<M> = (message: M) => void;

function handOver<M extends WireMessage | WireDirectMessage>(
  socket: ProtocolSocket,
  event: "message:new" | "dm:new",
  message: M,
): void {
  const seen = handedOver.get(socket);
  if (!seen || seen.has(message.id)) return;
  seen.add(message.id);
  // a Set keeps insertion order: the oldest id goes first
  if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string);
  for (const listener of socket.listeners(event) as Listener<M>[]) listener(message);
}

/** From now on this socket's `message:new` listeners get batches' messages and its own sends' too. */
export function oneByOne(socket: ProtocolSocket): void {
  if (handedOver.has(socket)) return;
  handedOver.set(socket, new Set());
  socket.on("messages:new", (batch: Payload<"messages:new">) => {
    for (const message of batch.messages) handOver(socket, "message:new", message);
  });
}

/** Called by sendRequest with every successful reply: a send's carries the sender's copy, handed over when oneByOne is on. */
export function sentThrough(socket: ProtocolSocket, event: string, reply: object): void {
  if (!handedOver.has(socket) || !("message" in reply)) return;
  if (event === "message:send") handOver(socket, "message:new", reply.message as WireMessage);
  else if (event === "dm:send") handOver(socket, "dm:new", reply.message as WireDirectMessage);
}
