import type { PublicUser, Via, WireFile, WireMessage } from "../protocol/index.ts";
import type { AppError } from "./errors.ts";

/** A shared file with its content hash: what the store writes with its message, and what a download reads. */
export interface FileRecord extends WireFile {
  sha256: string;
}

/** A message on its way to be stored, in a room or a conversation (the queue's key says which). */
export interface OutgoingMessage {
  author: PublicUser;
  body: string;
  clientMsgId: string;
  /** a file to store with the message, in the same transaction */
  file?: FileRecord;
  /** the id of the message (in the same room or conversation) this one replies to */
  replyTo?: string;
  /** who it mentions, as stored (server/protocol/mentions.ts); rooms only */
  mentions?: string | null;
  /** a webhook's name and picture to show instead of its bot's (incoming webhooks) */
  via?: Via;
}

export interface Stored<W = WireMessage> {
  message: W;
  /** false when this send repeated a clientMsgId that was already stored */
  created: boolean;
  /** other messages this one changed: the original a reply raised the replyCount of */
  alsoChanged: W[];
}

/**
 * A change to a stored message: a new body or its deletion (by its author; a deletion also by a
 * room's moderator, whose `author` is then the moderator), or a reaction added or taken back (by
 * anyone who may read it).
 */
export type MessageChange = { author: PublicUser; messageId: string } & (
  | { kind: "edit"; body: string; mentions?: string | null }
  | { kind: "delete"; moderator?: boolean }
  /** pinning or unpinning, by a room's owner or admin (callers check) */
  | { kind: "pin"; pinned: boolean }
  | { kind: "react"; emoji: string; add: boolean }
);

/** What the queue writes, in order, per room (or conversation): new messages and changes. */
export type MessageJob = OutgoingMessage | MessageChange;

export const isChange = (job: MessageJob): job is MessageChange => "messageId" in job;

/** A change as stored: the message as it is now, and a file whose bytes are to go (a deletion's). */
export interface Changed<W = WireMessage> {
  message: W;
  /** false when it changed nothing (the same body again, a reaction already there or not there) */
  changed: boolean;
  removedFile: { id: string; thumbnail: boolean } | null;
  /**
   * other messages this change changed: the replies whose quote of it changed, and the original
   * whose replyCount a deleted reply lowered
   */
  alsoChanged: W[];
}

/** The store's answer to one job: stored, changed, or refused (not the author, no such message). */
export type Outcome<W = WireMessage> = Stored<W> | Changed<W> | { refused: AppError };
