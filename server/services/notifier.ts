import type { Payload, ServerEvent } from "../protocol/index.ts";

/**
 * How services tell connected clients what changed, without knowing how they are connected. The
 * Socket.IO layer implements it (server/realtime/notifier.ts); a second transport would too.
 */
export interface Notifier {
  /**
   * to every connection of every member of the room; not to the connection `from` (the sender of
   * a new message, whose ack carries it). A room's new and changed messages keep their order.
   */
  toRoom<E extends ServerEvent>(roomId: string, event: E, payload: Payload<E>, from?: string): void;
  /** to every connection of both participants of the conversation, but `from` */
  toConversation<E extends ServerEvent>(conversationId: string, event: E, payload: Payload<E>, from?: string): void;
  /** to every connection of one user, on every node */
  toUser<E extends ServerEvent>(userId: string, event: E, payload: Payload<E>): void;
  /** from now on, every connection of these users receives what is sent to the conversation */
  joinConversation(userIds: string[], conversationId: string): void;
  /** closes the user's connections of one session (`sid`), or of every session */
  endSessions(userId: string, sid?: string): void;
}
