// The Socket.IO contract: event names, payload schemas and replies. Names are `domain:verb`;
// what the server broadcasts is in the past tense. docs/protocol.md describes the same thing in
// prose for other clients.
import { z } from "zod";
import type { ErrorBody } from "./errors.ts";
import {
  clientMsgId,
  displayName,
  emoji,
  id,
  messageBody,
  NOTIFY_LEVELS,
  paged,
  rev,
  roomName,
  roomTopic,
  seq,
  statusText,
  username,
  userSettingsChange,
} from "./fields.ts";
import { type ExportInfo, type WebhookReplies, webhookSchemas } from "./integrations.ts";
import {
  MAX_AROUND_PAGE,
  MAX_FILE_PAGE,
  MAX_ROOM_PAGE,
  MAX_SEARCH_PAGE,
  MAX_SEARCH_QUERY_CHARS,
  MAX_SYNC_PAGE,
  MAX_USER_PAGE,
} from "./limits.ts";
import { ROOM_ROLES, VISIBILITIES } from "./roles.ts";
import type {
  AroundPage,
  ConversationSummary,
  InviteLink,
  NotifyLevel,
  Page,
  Profile,
  PublicUser,
  RoomBanEntry,
  RoomDetail,
  RoomInvitation,
  RoomMember,
  RoomSettings,
  RoomSummary,
  SearchResults,
  SharedFile,
  SyncPage,
  UserSettings,
  WireDirectMessage,
  WireMessage,
} from "./wire.ts";

const empty = z.object({}).strict().optional();
/** How many messages `room:around` and `dm:around` give: about half before the one asked for, half after. */
const aroundLimit = z.number().int().min(1).max(MAX_AROUND_PAGE).default(50);

/** How a room is seen: everyone (the default) or its members only. */
const visibility = z.enum(VISIBILITIES);
/** Someone in a room, by id: whom a kick, a ban or a role change is about. */
const roomUser = z.object({ roomId: id, userId: id }).strict();
/** An invite link's token: base64url, as room:invite-link:create makes them. */
const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "That invite link is not valid.");

/** A reaction to a message in a room or (with conversationId) in a private conversation. */
const reaction = z
  .object({ roomId: id.optional(), conversationId: id.optional(), messageId: id, emoji })
  .refine((v) => (v.roomId === undefined) !== (v.conversationId === undefined), "give roomId or conversationId");

/** Every request a client may send, with the schema its payload is parsed with. */
export const schemas = {
  "room:list": z
    .object({
      query: z.string().trim().max(64, "query: at most 64 characters").optional(),
      before: id.optional(),
      limit: z.number().int().min(1).max(MAX_ROOM_PAGE).default(50),
      /** hear the counts of the listed rooms you are not in (`room:online`, `room:member-count`) until `room:unwatch` */
      watch: z.boolean().optional(),
    })
    .strict()
    .optional(),
  "room:unwatch": empty,
  "room:get": z.object({ roomId: id }),
  "room:mine": empty,
  "room:create": z.object({ name: roomName, topic: roomTopic.optional(), visibility: visibility.default("public") }),
  "room:update": z
    .object({
      roomId: id,
      name: roomName.optional(),
      topic: roomTopic.optional(),
      visibility: visibility.optional(),
      archived: z.boolean().optional(),
    })
    .strict(),
  "room:join": z
    .object({ roomId: id.optional(), inviteToken: inviteToken.optional() })
    .strict()
    .refine((v) => (v.roomId === undefined) !== (v.inviteToken === undefined), "give roomId or inviteToken"),
  "room:invite": z.object({ roomId: id, username }).strict(),
  "room:invitations": empty,
  "room:invitation:respond": z.object({ roomId: id, accept: z.boolean() }).strict(),
  "room:invite-link:create": z
    .object({
      roomId: id,
      expiresInHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .optional(),
      maxUses: z.number().int().min(1).max(10_000).optional(),
    })
    .strict(),
  "room:invite-links": z.object({ roomId: id }).strict(),
  "room:invite-link:revoke": z.object({ roomId: id, token: inviteToken }).strict(),
  "room:kick": roomUser,
  "room:ban": roomUser,
  "room:unban": roomUser,
  "room:bans": z.object({ roomId: id }).strict(),
  "room:set-role": z.object({ roomId: id, userId: id, role: z.enum(ROOM_ROLES) }).strict(),
  "room:leave": z.object({ roomId: id }),
  "room:delete": z.object({ roomId: id }),
  "room:history": paged({ roomId: id }),
  "message:send": z.object({ roomId: id, body: messageBody, clientMsgId, replyTo: id.optional() }),
  "message:edit": z.object({ roomId: id, messageId: id, body: messageBody }),
  "message:delete": z.object({ roomId: id, messageId: id }),
  "message:pin": z.object({ roomId: id, messageId: id, pinned: z.boolean() }).strict(),
  "room:pins": z.object({ roomId: id }).strict(),
  "room:read": z.object({ roomId: id, seq: seq(0) }),
  "room:unread": z.object({ roomId: id, seq: seq(1) }),
  "room:settings": z.object({ roomId: id, notify: z.enum(NOTIFY_LEVELS).optional() }).strict(),
  "room:around": z.object({ roomId: id, seq: seq(1), limit: aroundLimit }).strict(),
  "room:sync": z.object({ roomId: id, afterRev: rev, limit: z.number().int().min(1).max(MAX_SYNC_PAGE).default(100) }),
  "dm:send": z
    .object({
      toUsername: username.optional(),
      conversationId: id.optional(),
      body: messageBody,
      clientMsgId,
      replyTo: id.optional(),
    })
    .refine((v) => (v.toUsername === undefined) !== (v.conversationId === undefined), "give toUsername or conversationId"),
  "dm:list": empty,
  "dm:history": paged({ conversationId: id }),
  "dm:edit": z.object({ conversationId: id, messageId: id, body: messageBody }),
  "dm:delete": z.object({ conversationId: id, messageId: id }),
  "dm:sync": z.object({ conversationId: id, afterRev: rev, limit: z.number().int().min(1).max(MAX_SYNC_PAGE).default(100) }),
  "dm:around": z.object({ conversationId: id, seq: seq(1), limit: aroundLimit }).strict(),
  "dm:read": z.object({ conversationId: id, seq: seq(0) }),
  "dm:unread": z.object({ conversationId: id, seq: seq(1) }),
  "user:get": z.object({ username }),
  "user:search": z
    .object({
      query: z.string().trim().min(1, "Type at least one letter.").max(32, "query: at most 32 characters"),
      limit: z.number().int().min(1).max(MAX_USER_PAGE).default(10),
    })
    .strict(),
  "user:unread": empty,
  "user:profile": z.object({ displayName: displayName.optional(), status: statusText.optional() }).strict(),
  "user:profiles": z.object({ ids: z.array(id).min(1).max(200) }).strict(),
  "user:settings": userSettingsChange.optional(),
  "file:list": z
    .object({
      roomId: id.optional(),
      conversationId: id.optional(),
      query: z.string().trim().max(255, "query: at most 255 characters").optional(),
      before: id.optional(),
      limit: z.number().int().min(1).max(MAX_FILE_PAGE).default(50),
    })
    .refine((v) => v.roomId === undefined || v.conversationId === undefined, "give roomId or conversationId, not both"),
  "file:remove": z.object({ fileId: id }),
  "reaction:add": reaction,
  "reaction:remove": reaction,
  search: z
    .object({
      query: z
        .string()
        .trim()
        .min(1, "Type something to search for.")
        .max(MAX_SEARCH_QUERY_CHARS, `query: at most ${MAX_SEARCH_QUERY_CHARS} characters`),
      roomId: id.optional(),
      conversationId: id.optional(),
      order: z.enum(["newest", "best"]).default("newest"),
      limit: z.number().int().min(1).max(MAX_SEARCH_PAGE).default(20),
      cursor: z.string().max(64).nullish(),
    })
    .strict()
    .refine((v) => v.roomId === undefined || v.conversationId === undefined, "give roomId or conversationId, not both"),
  ...webhookSchemas,
} as const;

export type ClientEvent = keyof typeof schemas;
/** A request's payload as a client writes it (defaults may be left out). */
export type Input<E extends ClientEvent> = z.input<(typeof schemas)[E]>;
/** A request's payload as the server handles it, parsed. */
export type Parsed<E extends ClientEvent> = z.output<(typeof schemas)[E]>;

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

interface CoreReplies {
  "room:list": { rooms: RoomSummary[]; hasMore: boolean };
  "room:get": { room: RoomSummary };
  "room:mine": { rooms: RoomSummary[] };
  "room:unwatch": Record<never, never>;
  "room:create": { room: RoomSummary };
  "room:update": { room: RoomSummary };
  "room:join": Page & { room: RoomDetail };
  "room:invite": { invitation: RoomInvitation };
  "room:invitations": { invitations: RoomInvitation[] };
  "room:invitation:respond": { room: RoomSummary | null };
  "room:invite-link:create": { link: InviteLink };
  "room:invite-links": { links: InviteLink[] };
  "room:invite-link:revoke": Record<never, never>;
  "room:kick": Record<never, never>;
  "room:ban": Record<never, never>;
  "room:unban": Record<never, never>;
  "room:bans": { bans: RoomBanEntry[] };
  "room:set-role": { member: RoomMember };
  "room:leave": Record<never, never>;
  "room:delete": Record<never, never>;
  "room:history": Page;
  "message:send": { message: WireMessage };
  "message:edit": { message: WireMessage };
  "message:delete": { message: WireMessage };
  "message:pin": { message: WireMessage };
  "room:pins": { messages: WireMessage[] };
  "room:sync": SyncPage;
  "room:around": AroundPage;
  "room:read": ReadMark;
  "room:unread": ReadMark;
  "room:settings": { settings: RoomSettings };
  "dm:send": { message: WireDirectMessage };
  "dm:list": { conversations: ConversationSummary[] };
  "dm:history": Page<WireDirectMessage>;
  "dm:edit": { message: WireDirectMessage };
  "dm:delete": { message: WireDirectMessage };
  "dm:sync": SyncPage<WireDirectMessage>;
  "dm:around": AroundPage<WireDirectMessage>;
  "dm:read": ReadMark;
  "dm:unread": ReadMark;
  "user:get": { user: Profile & { online: boolean } };
  "user:profile": { profile: Profile };
  "user:profiles": { profiles: Profile[] };
  "user:search": { users: (PublicUser & { online: boolean })[] };
  "user:settings": { settings: UserSettings };
  "user:unread": {
    rooms: { roomId: string; lastSeq: number; unread: number; mentions: number; notify: NotifyLevel }[];
    conversations: { conversationId: string; lastSeq: number; unread: number }[];
  };
  "file:list": { files: SharedFile[]; hasMore: boolean };
  "file:remove": Record<never, never>;
  "reaction:add": { message: WireMessage | WireDirectMessage };
  "reaction:remove": { message: WireMessage | WireDirectMessage };
  search: SearchResults;
}

/** What a successful request answers, beside `ok: true`. */
export type Replies = CoreReplies & WebhookReplies;

/**
 * Signals: events a client emits without an acknowledgement, that the server passes on or drops
 * without a word (invalid, too frequent, not a member). Not for anything that must arrive.
 */
export const signalSchemas = {
  /** "I am typing in this room": the room's other members get `typing` */
  typing: z.object({ roomId: id }),
  /** the same in a private conversation: the other participant gets `dm:typing` */
  "dm:typing": z.object({ conversationId: id }),
} as const;

export type Signal = keyof typeof signalSchemas;

export type ClientToServerEvents = {
  [E in ClientEvent]: (payload: Input<E>, ack: (reply: Ack<Replies[E]>) => void) => void;
} & { [S in Signal]: (payload: z.input<(typeof signalSchemas)[S]>) => void };

export interface ServerToClientEvents {
  /**
   * to every connection of every member of the room, but the one that sent it (its ack carries
   * it); several messages of a room stored together come as one `messages:new` instead
   */
  "message:new": (message: WireMessage) => void;
  /**
   * a room's messages stored together, in order, to every connection of every member (the
   * senders' own connections too: skip the messages you already have, by `id`)
   */
  "messages:new": (batch: { roomId: string; messages: WireMessage[] }) => void;
  /** to both participants of the conversation, every connection but the one that sent it */
  "dm:new": (message: WireDirectMessage) => void;
  /**
   * a room message changed (edited, deleted, a reaction, a reply to it, or the message it replies
   * to changed): the whole message as it is now
   */
  "message:updated": (message: WireMessage) => void;
  /** a private message changed, as message:updated */
  "dm:updated": (message: WireDirectMessage) => void;
  /** your read mark in a room moved (on this connection or another of yours) */
  "room:read": (event: { roomId: string } & ReadMark) => void;
  /** my notification settings changed (on another of my connections too) */
  "user:settings": (event: { settings: UserSettings }) => void;
  /** a member's own settings of a room changed (on another of their connections too) */
  "room:settings": (event: { roomId: string; settings: RoomSettings }) => void;
  /** your read mark in a private conversation moved (on this connection or another of yours) */
  "dm:read": (event: { conversationId: string } & ReadMark) => void;
  /** someone else in the room is typing (again at most every 3 s while they are) */
  typing: (event: { roomId: string; user: PublicUser }) => void;
  /** the other participant of the conversation is typing */
  "dm:typing": (event: { conversationId: string; user: PublicUser }) => void;
  /** a public room was created (to everyone), or a private one (to its creator's connections) */
  "room:created": (room: RoomSummary) => void;
  /**
   * a room's name, topic, visibility or archived state changed: to everyone while it is or was
   * public, else to its members. Without the reader's own fields (role, unread…): keep yours
   */
  "room:updated": (room: RoomSummary) => void;
  /** a room was deleted, with everything in it: to everyone connected (a private one: to its members) */
  "room:deleted": (event: { roomId: string }) => void;
  /** you are no longer in a room, not by leaving it: to every connection of yours */
  "room:removed": (event: { roomId: string; reason: "kicked" | "banned" | "deleted" }) => void;
  /** a member's role changed: to the room's members */
  "room:member-updated": (event: { roomId: string; member: RoomMember }) => void;
  /** you were invited to a room: to every connection of yours */
  "room:invited": (invitation: RoomInvitation) => void;
  /** an invitation of yours was accepted, declined or withdrawn (a ban, the room deleted): to every connection of yours */
  "room:invitation-closed": (event: { roomId: string }) => void;
  /** `memberCount`: how many members the room has now */
  "room:member-joined": (event: { roomId: string; member: RoomMember; memberCount: number }) => void;
  "room:member-left": (event: { roomId: string; userId: string; memberCount: number }) => void;
  /**
   * how many of the room's members are online now (someone came online, went offline, joined or
   * left): to its members, and to connections watching it (`room:list` with `watch`)
   */
  "room:online": (event: { roomId: string; onlineCount: number }) => void;
  /** how many members a room you watch but are not in has now (someone joined or left) */
  "room:member-count": (event: { roomId: string; memberCount: number }) => void;
  /** a shared file was removed by its uploader: the message with `seq` now shows "file removed" */
  "file:removed": (event: FileRemoved) => void;
  "presence:changed": (event: { userId: string; username: string; online: boolean }) => void;
  /** someone changed their display name, status or avatar: to everyone connected */
  "user:updated": (profile: Profile) => void;
  /** an export you asked for is ready to download (or failed): to every connection of yours */
  "export:done": (event: { export: ExportInfo }) => void;
  /** For a request that could not be answered through its ack (none given, unknown event). */
  "app:error": (event: { event: string; error: ErrorBody }) => void;
}

/** Where a member's read mark is in a room, and how many messages lie after it. */
export interface ReadMark {
  lastReadSeq: number;
  unread: number;
  /** of those, how many call for you: in a room, mentions of you, @here and @room; in a conversation, all of them */
  mentions: number;
}

/** Where a removed file was shared, and the seq of the message that carried it. */
export type FileRemoved = { fileId: string; seq: number; rev: number } & ({ roomId: string } | { conversationId: string });

export type ServerEvent = keyof ServerToClientEvents;
/** What a server event carries. */
export type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
