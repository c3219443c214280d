import type { IncomingMessage } from "node:http";
import type { Server, Socket } from "socket.io";
import type { FileService } from "../files/files.ts";
import type { Logger } from "../log.ts";
import type { ClientToServerEvents, PublicUser, ServerToClientEvents } from "../protocol/index.ts";
import type { PushService } from "../push/push.ts";
import type { ConversationService } from "../services/conversations.ts";
import type { WebhookService } from "../services/integrations/webhooks.ts";
import type { InvitationService } from "../services/invitations.ts";
import type { ModerationService } from "../services/moderation.ts";
import type { PostingService } from "../services/posting.ts";
import type { ProfileService } from "../services/profiles.ts";
import type { RoomService } from "../services/rooms.ts";
import type { SearchService } from "../services/search/service.ts";
import type { UserService } from "../services/users.ts";
import type { Presence } from "./presence.ts";
import type { Quotas } from "./quotas.ts";

export interface SocketData {
  user: PublicUser;
  /** the session the connection signed in with (server/auth/tokens.ts), to end it on sign-out */
  sid: string | undefined;
  /** when that session signed in (seconds since the epoch), to check it again (revocation-watch.ts) */
  authTime: number | undefined;
  /** an API token limited to these rooms: nothing else may be asked or heard; absent: not limited */
  roomScope?: string[];
  /** the rooms the user was a member of at handshake time (emptied once joined) */
  roomIds: string[];
  /** the user's conversations at handshake time (emptied once joined) */
  conversationIds: string[];
  /** the address it connected from (Quotas counts connections per address) */
  address: string;
  /** when it last said it was typing, per room or conversation (handlers/typing.ts) */
  typingAt?: Map<string, number>;
}

export type KomnataServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KomnataSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What every handler may use: the services, never the database directly. */
export interface RealtimeContext {
  io: KomnataServer;
  log: Logger;
  presence: Presence;
  users: UserService;
  rooms: RoomService;
  moderation: ModerationService;
  invitations: InvitationService;
  conversations: ConversationService;
  posting: PostingService;
  files: FileService;
  profiles: ProfileService;
  quotas: Quotas;
  search: SearchService;
  push: PushService;
  webhooks: WebhookService;
  /** where a request came from (TRUST_PROXY taken into account) */
  clientAddress(req: IncomingMessage): string;
}

// Socket.IO rooms ("channels" here, to keep them apart from chat rooms).
export const roomChannel = (roomId: string) => `room:${roomId}`;
export const userChannel = (userId: string) => `user:${userId}`;
export const conversationChannel = (conversationId: string) => `dm:${conversationId}`;
/** the connections that watch a room's counts from a lobby without being in it (`room:list` with `watch`) */
export const watchChannel = (roomId: string) => `watch:${roomId}`;
