import type { Server, Socket } from "socket.io";
import type { FileService } from "../files/files.ts";
import type { Logger } from "../log.ts";
import type { RequestBudget } from "./dispatch.ts";
import type { MessageQueue } from "../queue/message-queue.ts";
import type { ConversationService } from "../services/conversations.ts";
import type { WireDirectMessage } from "../services/messages.ts";
import type { RoomService } from "../services/rooms.ts";
import type { PublicUser, UserService } from "../services/users.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "./events.ts";
import type { Presence } from "./presence.ts";

export interface SocketData {
  user: PublicUser;
  /** the rooms the user was a member of at handshake time (emptied once joined) */
  roomIds: string[];
  /** the user's conversations at handshake time (emptied once joined) */
  conversationIds: string[];
  budget: RequestBudget;
}

export type KomnataServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KomnataSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What every handler may use: the services, never the database directly. */
export interface RealtimeContext {
  io: KomnataServer;
  log: Logger;
  rooms: RoomService;
  presence: Presence;
  messages: MessageQueue;
  conversations: ConversationService;
  users: UserService;
  directMessages: MessageQueue<WireDirectMessage>;
  files: FileService;
}

// Socket.IO rooms ("channels" here, to keep them apart from chat rooms).
export const roomChannel = (roomId: string) => `room:${roomId}`;
export const userChannel = (userId: string) => `user:${userId}`;
export const conversationChannel = (conversationId: string) => `dm:${conversationId}`;
