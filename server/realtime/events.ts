// The Socket.IO contract: event names, payloads and acks. The server, the browser client and
// the tests import this one file; docs/protocol.md describes the same thing for other clients.
// Names are `domain:verb`; what the server broadcasts is in the past tense.
import { z } from "zod";
import type { ErrorBody } from "../services/errors.ts";
import type { ConversationSummary } from "../services/conversations.ts";
import { MAX_FILE_PAGE, type SharedFile } from "../files/files.ts";
import type { WireDirectMessage, WireFile, WireMessage } from "../services/messages.ts";
import type { RoomMember, RoomSummary } from "../services/rooms.ts";
import type { PublicUser } from "../services/users.ts";
import { MAX_PAGE } from "../services/rooms.ts";
import { clientMsgId, id, messageBody, roomName, roomTopic, username } from "../services/validation.ts";

export type {
  ConversationSummary,
  ErrorBody,
  PublicUser,
  RoomMember,
  RoomSummary,
  SharedFile,
  WireDirectMessage,
  WireFile,
  WireMessage,
};

/** How a page of a room's or a conversation's messages is asked for: before a seq, after one, or the newest. */
const pageCursor = {
  beforeSeq: z.number().int().min(1).optional(),
  afterSeq: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(50),
};
const oneCursor = (v: { beforeSeq?: number; afterSeq?: number }) => v.beforeSeq === undefined || v.afterSeq === undefined;
const ONE_CURSOR = "give beforeSeq or afterSeq, not both";

export const schemas = {
  "room:list": z.object({}).strict().optional(),
  "room:create": z.object({ name: roomName, topic: roomTopic.optional() }),
  "room:join": z.object({ roomId: id }),
  "room:leave": z.object({ roomId: id }),
  "room:history": z.object({ roomId: id, ...pageCursor }).refine(oneCursor, ONE_CURSOR),
  "message:send": z.object({ roomId: id, body: messageBody, clientMsgId }),
  "dm:send": z
    .object({ toUsername: username.optional(), conversationId: id.optional(), body: messageBody, clientMsgId })
    .refine((v) => (v.toUsername === undefined) !== (v.conversationId === undefined), "give toUsername or conversationId"),
  "dm:list": z.object({}).strict().optional(),
  "dm:history": z.object({ conversationId: id, ...pageCursor }).refine(oneCursor, ONE_CURSOR),
  "dm:read": z.object({ conversationId: id, seq: z.number().int().min(0) }),
  "user:get": z.object({ username }),
  "file:list": z
    .object({
      roomId: id.optional(),
      conversationId: id.optional(),
      query: z.string().trim().max(255, "query: at most 255 characters").optional(),
      before: id.optional(),
      limit: z.number().int().min(1).max(MAX_FILE_PAGE).default(50),
    })
    .refine((v) => v.roomId === undefined || v.conversationId === undefined, "give roomId or conversationId, not both"),
} as const;

export type ClientEvent = keyof typeof schemas;
export type Input<E extends ClientEvent> = z.input<(typeof schemas)[E]>;

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

export interface RoomDetail extends RoomSummary {
  members: RoomMember[];
}

export interface Replies {
  "room:list": { rooms: RoomSummary[] };
  "room:create": { room: RoomSummary };
  "room:join": { room: RoomDetail; messages: WireMessage[]; hasMore: boolean };
  "room:leave": Record<never, never>;
  "room:history": { messages: WireMessage[]; hasMore: boolean };
  "message:send": { message: WireMessage };
  "dm:send": { message: WireDirectMessage };
  "dm:list": { conversations: ConversationSummary[] };
  "dm:history": { messages: WireDirectMessage[]; hasMore: boolean };
  "dm:read": { unread: number };
  "user:get": { user: PublicUser & { online: boolean } };
  "file:list": { files: SharedFile[]; hasMore: boolean };
}

export type ClientToServerEvents = {
  [E in ClientEvent]: (payload: Input<E>, ack: (reply: Ack<Replies[E]>) => void) => void;
};

export interface ServerToClientEvents {
  "message:new": (message: WireMessage) => void;
  /** to both participants of the conversation, every connection */
  "dm:new": (message: WireDirectMessage) => void;
  "room:created": (room: RoomSummary) => void;
  "room:member-joined": (event: { roomId: string; member: RoomMember }) => void;
  "room:member-left": (event: { roomId: string; userId: string }) => void;
  "presence:changed": (event: { userId: string; username: string; online: boolean }) => void;
  /** For a request that could not be answered through its ack (none given, unknown event). */
  "app:error": (event: { event: string; error: ErrorBody }) => void;
}
