import type { Payload, ServerEvent, WireMessage } from "../protocol/index.ts";
import type { Notifier } from "../services/notifier.ts";
import { conversationChannel, type KomnataServer, roomChannel, userChannel } from "./context.ts";
import { tellWatchers } from "./membership.ts";
import type { Presence } from "./presence.ts";

type Broadcast = { emit(event: ServerEvent, payload: unknown): boolean };

/** A room's new or changed message waiting for the answers being sent now. */
interface Pending {
  event: "message:new" | "message:updated";
  message: WireMessage;
  /** the connection that caused it (the sender of a new message): its ack carried it */
  from?: string;
}

/**
 * The services' Notifier over Socket.IO channels (and, with REDIS_URL, across nodes).
 *
 * A room's new and changed messages wait until the answers being sent now are out, and then leave
 * in the order they were stored: the messages the queue stored in one batch are answered
 * together, and go to each connection as one `messages:new` frame instead of one frame each. Under
 * load batches grow by themselves, and so do frames, so what each delivery costs goes down as
 * the rate goes up (docs/performance.md). A message alone is a `message:new`, sent to every
 * connection but its sender's.
 */
export function socketNotifier(io: KomnataServer, presence: Pick<Presence, "talks">): Notifier {
  // Socket.IO's emit cannot follow a generic event name to its payload type; the Notifier's
  // signature already ties them together.
  const to = (channel: string, from?: string) => (from ? io.to(channel).except(from) : io.to(channel)) as unknown as Broadcast;

  const pending = new Map<string, Pending[]>();
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const rooms = [...pending];
    pending.clear();
    for (const [roomId, items] of rooms) {
      const channel = roomChannel(roomId);
      for (let i = 0; i < items.length; ) {
        const item = items[i];
        if (item.event === "message:updated") {
          to(channel, item.from).emit("message:updated", item.message);
          i += 1;
          continue;
        }
        let end = i + 1;
        while (end < items.length && items[end].event === "message:new") end += 1;
        if (end - i === 1) to(channel, item.from).emit("message:new", item.message);
        else to(channel).emit("messages:new", { roomId, messages: items.slice(i, end).map((p) => p.message) });
        i = end;
      }
    }
  }

  return {
    toRoom<E extends ServerEvent>(roomId: string, event: E, payload: Payload<E>, from?: string) {
      if (event !== "message:new" && event !== "message:updated") {
        to(roomChannel(roomId), from).emit(event, payload);
        if (event === "room:member-joined" || event === "room:member-left") {
          tellWatchers(io, roomId, (payload as Payload<"room:member-joined">).memberCount);
        }
        return;
      }
      const item: Pending = { event, message: payload as WireMessage, from };
      const list = pending.get(roomId);
      if (list) list.push(item);
      else pending.set(roomId, [item]);
      if (!scheduled) {
        scheduled = true;
        // after every answer of the write that stored it (they are one run of promise jobs), not
        // a turn of the event loop later
        process.nextTick(flush);
      }
    },
    toConversation<E extends ServerEvent>(conversationId: string, event: E, payload: Payload<E>, from?: string) {
      to(conversationChannel(conversationId), from).emit(event, payload);
    },
    toUser<E extends ServerEvent>(userId: string, event: E, payload: Payload<E>) {
      to(userChannel(userId)).emit(event, payload);
    },
    joinConversation(userIds, conversationId) {
      io.in(userIds.map(userChannel)).socketsJoin(conversationChannel(conversationId));
      // from now on each hears when the other comes online or goes offline
      for (const userId of userIds) presence.talks(userId, conversationId);
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
