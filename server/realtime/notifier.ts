import type { Payload, ServerEvent } from "../protocol/index.ts";
import type { Notifier } from "../services/notifier.ts";
import { conversationChannel, type KomnataServer, roomChannel, userChannel } from "./context.ts";

type Broadcast = { emit(event: ServerEvent, payload: unknown): boolean };

/** The services' Notifier over Socket.IO channels (and, with REDIS_URL, across nodes). */
export function socketNotifier(io: KomnataServer): Notifier {
  // Socket.IO's emit cannot follow a generic event name to its payload type; the Notifier's
  // signature already ties them together.
  const emit = (channel: string, event: ServerEvent, payload: unknown) =>
    (io.to(channel) as unknown as Broadcast).emit(event, payload);
  return {
    toRoom<E extends ServerEvent>(roomId: string, event: E, payload: Payload<E>) {
      emit(roomChannel(roomId), event, payload);
    },
    toConversation<E extends ServerEvent>(conversationId: string, event: E, payload: Payload<E>) {
      emit(conversationChannel(conversationId), event, payload);
    },
    joinConversation(userIds, conversationId) {
      io.in(userIds.map(userChannel)).socketsJoin(conversationChannel(conversationId));
    },
    endSessions(userId, sid) {
      if (sid === undefined) {
        io.in(userChannel(userId)).disconnectSockets(true);
        return;
      }
      // on every node (through the adapter): only the connections of that session
      void io
        .in(userChannel(userId))
        .fetchSockets()
        .then((sockets) => {
          for (const socket of sockets) if (socket.data.sid === sid) socket.disconnect(true);
        })
        .catch(() => undefined);
    },
  };
}
