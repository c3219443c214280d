// What the server sends: the shapes every client reads (docs/protocol.md). Dates are ISO 8601
// strings in UTC; ids are opaque strings.
import type { Mentions } from "./mentions.ts";
import type { RoomRole, Visibility } from "./roles.ts";

export interface PublicUser {
  id: string;
  username: string;
}

/** A shared file as a message carries it. */
export interface WireFile {
  id: string;
  /** the uploaded name, made safe (server/files/names.ts) */
  name: string;
  size: number;
  /** MIME type */
  type: string;
  /** a picture's thumbnail size (at most 320 x 320), at GET /api/files/{id}/thumbnail; null: none */
  thumbnail: { width: number; height: number } | null;
  /**
   * true once its uploader removed it: the bytes are gone, and name, size and type are blank
   * (the message stays, showing "file removed")
   */
  removed?: true;
}

/** What a room message and a private message have in common. */
export interface WireMessageBase {
  id: string;
  /** gapless and increasing within its room or conversation, from 1 */
  seq: number;
  /**
   * the room's (conversation's) rev at this message's latest change: its creation, an edit, its
   * deletion; `room:sync` / `dm:sync` give everything changed after a rev
   */
  rev: number;
  /** "" once deleted */
  body: string;
  author: PublicUser;
  createdAt: string;
  clientMsgId: string;
  /** when its author last changed its body; null: never edited */
  editedAt: string | null;
  /** when it was deleted (a tombstone: no body, no file); null: not deleted */
  deletedAt: string | null;
  /** set when a room's owner or admin deleted it, not its author: "removed by a moderator" */
  deletedByModerator?: true;
  /** set while it is pinned in its room: when, and by whom (a user id) */
  pinned?: { at: string; by: string };
  /** only on a message that shares a file (and is not deleted) */
  file?: WireFile;
  /** the message (in the same room or conversation) this one answers; null: not a reply */
  replyTo: ReplyQuote | null;
  /** how many messages (not deleted) reply to this one */
  replyCount: number;
  /** each emoji once, in the order first used; none on a deleted message */
  reactions: Reaction[];
  /**
   * set on a message an incoming webhook posted with its own name (Slack's `username`) or picture
   * (`icon_url`): show these, marked "via webhook", instead of its bot's
   */
  via?: Via;
}

/** How a webhook asked its message to be shown. */
export interface Via {
  name: string;
  /** an http(s) picture; null: the bot's own */
  iconUrl: string | null;
}

/** What a reply shows of the message it answers, as that message is now. */
export interface ReplyQuote {
  id: string;
  seq: number;
  author: PublicUser;
  /** its first line, at most 120 characters ("" once it is deleted, or if it is only a file) */
  excerpt: string;
  /** true once the original was deleted */
  deleted: boolean;
}

/** One emoji on a message and who chose it, in the order they did. */
export interface Reaction {
  /** one emoji, or a `:short_name:` */
  emoji: string;
  count: number;
  users: PublicUser[];
}

/** A room message as every member sees it. */
export interface WireMessage extends WireMessageBase {
  roomId: string;
  /** who it mentions (none once deleted) */
  mentions: Mentions;
}

/** A private message as its two participants see it. */
export interface WireDirectMessage extends WireMessageBase {
  conversationId: string;
}

/** Where a page of messages starts: just before a seq, just after one, or (neither) the newest. */
export interface PageCursor {
  beforeSeq?: number;
  afterSeq?: number;
}

/** The change feed: messages created or changed after a rev, in rev order, and where to go on from. */
export interface SyncPage<M = WireMessage> {
  messages: M[];
  rev: number;
  hasMore: boolean;
}

/** Messages oldest first; `hasMore` says whether more lie beyond them in the direction asked. */
export interface Page<M = WireMessage> {
  messages: M[];
  hasMore: boolean;
}

/** Messages around one (room:around, dm:around), oldest first, the one asked for among them. */
export interface AroundPage<M = WireMessage> {
  messages: M[];
  hasMoreBefore: boolean;
  hasMoreAfter: boolean;
}

/** A message search's answer: newest (or best) first; `cursor` asks for the next results, null: no more. */
export interface SearchResults {
  results: SearchResult[];
  cursor: string | null;
}

export interface SearchResult {
  message: WireMessage | WireDirectMessage;
  /** where it was written: a room, or a private conversation with `with` */
  room?: { id: string; name: string };
  conversation?: { id: string; with: PublicUser };
  /** where the terms matched, as [start, end) offsets (UTF-16) in `message.body` and in its file's name */
  highlights: { body: [number, number][]; file: [number, number][] };
}

export interface RoomSummary {
  id: string;
  name: string;
  topic: string | null;
  memberCount: number;
  onlineCount: number;
  lastMessageAt: string | null;
  /** the seq of its latest message (0: none yet); a `message:new` at or below it is in this summary already */
  lastSeq: number;
  createdAt: string;
  /** the id of who created it */
  createdBy: string;
  /** "private": only its members see it; others are told there is no such room */
  visibility: Visibility;
  /** an archived room is read-only: no messages, edits, reactions or files */
  archived: boolean;
  /** for a room you are a member of: your role in it (what you may do: server/protocol/roles.ts) */
  role?: RoomRole;
  /** for a room you are a member of: every message up to this seq is read (or your own) */
  lastReadSeq?: number;
  /** for a room you are a member of: messages after your read mark */
  unread?: number;
  /** for a room you are a member of: of those, how many mention you (by name, @here, @room) */
  mentions?: number;
  /** for a room you are a member of: what of it notifies you */
  notify?: NotifyLevel;
}

/** What of a room notifies a member: every message, mentions of them (the default), or nothing (muted). */
export type NotifyLevel = "all" | "mentions" | "nothing";

/**
 * How a person is notified, on every device: browser notifications while a tab is open but
 * hidden, a short sound while it is in view, and hours (in their time zone) when nothing notifies.
 */
export interface UserSettings {
  desktop: boolean;
  /** Web Push to this person's subscribed browsers while no tab of theirs is open */
  push: boolean;
  sound: boolean;
  /** "22:00" to "07:00"; null: none */
  quietHours: { from: string; to: string } | null;
  /** IANA, e.g. "Europe/Moscow": what the quiet hours are in */
  timeZone: string;
}

/** A member's own settings of a room. */
export interface RoomSettings {
  notify: NotifyLevel;
}

/** Who someone is, as people see them: their display name, status and picture beside the username. */
export interface Profile extends PublicUser {
  /** null: none (show the username) */
  displayName: string | null;
  status: string | null;
  /** their picture (GET, signed in); null: none (show their initials) */
  avatarUrl: string | null;
  /** set when a server admin deactivated the account: it reads nothing and cannot sign in */
  deactivated?: true;
  /** set on a bot account (made by a person, posting through API tokens or a webhook) */
  bot?: true;
}

export interface RoomMember extends Profile {
  online: boolean;
  role: RoomRole;
}

/** A room as an invitation shows it to someone who is not in it yet. */
export interface InvitedRoom {
  id: string;
  name: string;
  topic: string | null;
  visibility: Visibility;
  memberCount: number;
}

/** An invitation by name, waiting for its answer (room:invitation:respond). */
export interface RoomInvitation {
  room: InvitedRoom;
  invitedBy: PublicUser;
  createdAt: string;
}

/** An invite link: whoever opens `url` signed in (or signs up through it) joins the room. */
export interface InviteLink {
  token: string;
  /** the page that joins the room: PUBLIC_URL/invite/{token} */
  url: string;
  createdBy: PublicUser;
  createdAt: string;
  /** null: never */
  expiresAt: string | null;
  /** null: no limit */
  maxUses: number | null;
  uses: number;
}

/** Someone banned from a room, by whom and when. */
export interface RoomBanEntry {
  user: PublicUser;
  bannedBy: PublicUser;
  createdAt: string;
}

export interface RoomDetail extends RoomSummary {
  members: RoomMember[];
}

export interface ConversationSummary {
  id: string;
  /** the other participant */
  with: PublicUser & { online: boolean };
  lastSeq: number;
  lastMessageAt: string | null;
  /** messages the asking user has not read */
  unread: number;
}

/** A file as the Files views list it, with where it was shared. */
export interface SharedFile extends WireFile {
  uploader: PublicUser;
  createdAt: string;
  /** the room it was shared in, or null */
  room: { id: string; name: string } | null;
  /** for a file shared privately: the conversation and the other person in it, or null */
  conversation: { id: string; with: PublicUser } | null;
}
