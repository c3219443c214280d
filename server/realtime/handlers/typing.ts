// "Someone is typing": signals, not requests (docs/protocol.md). Nothing is stored or answered;
// a signal that is invalid, too frequent or from outside the room is dropped without a word, so
// it costs the server as little as possible: no query (membership is read from the socket's own
// channels), one broadcast to the others.
import { type Signal, signalSchemas } from "../../protocol/index.ts";
import { conversationChannel, type KomnataSocket, type RealtimeContext, roomChannel, userChannel } from "../context.ts";

/** How often one connection may say it is typing in one place (clients send every 3 s). */
const MIN_INTERVAL_MS = 2000;

export type SignalHandlers = { [S in Signal]: (input: unknown, socket: KomnataSocket) => void };

/** True at most once per MIN_INTERVAL_MS per connection and place. */
function due(socket: KomnataSocket, place: string): boolean {
  const now = Date.now();
  socket.data.typingAt ??= new Map();
  if (now - (socket.data.typingAt.get(place) ?? 0) < MIN_INTERVAL_MS) return false;
  socket.data.typingAt.set(place, now);
  return true;
}

export function typingSignals(ctx: RealtimeContext): SignalHandlers {
  const { io } = ctx;
  return {
    typing: (input, socket) => {
      const parsed = signalSchemas.typing.safeParse(input);
      if (!parsed.success) return;
      const { roomId } = parsed.data;
      if (!socket.rooms.has(roomChannel(roomId)) || !due(socket, roomId)) return;
      const { user } = socket.data;
      // the others only: not this person's own other tabs either
      io.to(roomChannel(roomId)).except(userChannel(user.id)).emit("typing", { roomId, user });
    },
    "dm:typing": (input, socket) => {
      const parsed = signalSchemas["dm:typing"].safeParse(input);
      if (!parsed.success) return;
      const { conversationId } = parsed.data;
      if (!socket.rooms.has(conversationChannel(conversationId)) || !due(socket, conversationId)) return;
      const { user } = socket.data;
      io.to(conversationChannel(conversationId)).except(userChannel(user.id)).emit("dm:typing", { conversationId, user });
    },
  };
}
