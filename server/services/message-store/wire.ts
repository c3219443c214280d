// Message rows as clients see them: row → wire (the quote of a reply, the reactions, a
// tombstone's blanks), the two scopes, and the columns a change writes back.
import { toWireFile } from "../../files/wire-file.ts";
import type { Reaction, ReplyQuote, Via, WireDirectMessage, WireMessage, WireMessageBase } from "../../protocol/index.ts";
import { NO_MENTIONS, wireMentions } from "../../protocol/mentions.ts";
import { excerptOf } from "../../protocol/text.ts";
import type { Row, RowWrite, Scope } from "./types.ts";

const iso = (at: Date | string | number | null) => (at === null ? null : new Date(at).toISOString());

function quoteOf(row: Row): ReplyQuote | null {
  if (row.replyToId === null || row.replySeq === null) return null;
  const deleted = row.replyDeletedAt !== null;
  return {
    id: row.replyToId,
    seq: Number(row.replySeq),
    author: { id: row.replyAuthorId as string, username: row.replyUsername as string },
    excerpt: deleted ? "" : excerptOf(row.replyBody ?? "") || (row.replyFileName ?? ""),
    deleted,
  };
}

export const reactionsOf = (row: Row): Reaction[] => (row.reactions === null ? [] : (JSON.parse(row.reactions) as Reaction[]));

// Built by assignment, not by spreading: a page of history makes one object per message, not three.
function wireBase(row: Row): WireMessageBase {
  const deletedAt = iso(row.deletedAt);
  const message: WireMessageBase = {
    id: row.id,
    seq: Number(row.seq),
    rev: Number(row.rev),
    // a tombstone keeps its place, author and replies, nothing of what it said or got
    body: deletedAt ? "" : row.body,
    author: { id: row.authorId, username: row.username },
    createdAt: row.createdAt.toISOString(),
    clientMsgId: row.clientMsgId,
    editedAt: iso(row.editedAt),
    deletedAt,
    replyTo: deletedAt ? null : quoteOf(row),
    replyCount: Number(row.replyCount),
    reactions: deletedAt ? [] : reactionsOf(row),
  };
  if (deletedAt && row.deletedById !== null && row.deletedById !== row.authorId) message.deletedByModerator = true;
  if (row.pinnedAt !== null && row.pinnedById !== null && !deletedAt)
    message.pinned = { at: iso(row.pinnedAt) as string, by: row.pinnedById };
  if (row.via !== null) message.via = JSON.parse(row.via) as Via;
  if (row.fileId !== null && !deletedAt) {
    message.file = toWireFile({
      id: row.fileId,
      name: row.fileName as string,
      size: row.fileSize as number,
      mimeType: row.fileType as string,
      thumbWidth: row.thumbWidth,
      thumbHeight: row.thumbHeight,
      removedAt: row.fileRemovedAt,
    });
  }
  return message;
}

/** The columns a change may set, as they are in `row`. */
export const toWrite = (row: Row): RowWrite => ({
  id: row.id,
  rev: row.rev,
  body: row.body,
  editedAt: row.editedAt,
  deletedAt: row.deletedAt,
  deletedById: row.deletedById,
  pinnedAt: row.pinnedAt,
  pinnedById: row.pinnedById,
  replyCount: Number(row.replyCount),
  reactions: row.reactions,
  mentions: row.mentions,
});

/** `reply` quoting `original` as it is now. */
export const quoting = (reply: Row, original: Row): Row => ({
  ...reply,
  replyToId: original.id,
  replySeq: original.seq,
  replyAuthorId: original.authorId,
  replyUsername: original.username,
  replyBody: original.body,
  replyDeletedAt: original.deletedAt,
  replyFileName: original.fileId !== null && original.fileRemovedAt === null ? original.fileName : null,
});

export const ROOMS: Scope<WireMessage> = {
  table: "Message",
  versions: "MessageVersion",
  parent: "Room",
  key: "roomId",
  notFound: "No such room.",
  frozen: `"archivedAt" IS NOT NULL`,
  frozenMessage: "This room is archived: it can be read, not written to.",
  marks: "Membership",
  wire: (roomId, row) => {
    // the base, given what makes it a room's message
    const message = wireBase(row) as WireMessage;
    message.roomId = roomId;
    message.mentions = row.deletedAt ? NO_MENTIONS : wireMentions(row.mentions);
    return message;
  },
};

export const CONVERSATIONS: Scope<WireDirectMessage> = {
  table: "DirectMessage",
  versions: "DirectMessageVersion",
  parent: "Conversation",
  key: "conversationId",
  notFound: "No such conversation.",
  frozen: "1 = 0",
  frozenMessage: "This conversation cannot be written to.",
  marks: "ConversationMember",
  wire: (conversationId, row) => {
    const message = wireBase(row) as WireDirectMessage;
    message.conversationId = conversationId;
    return message;
  },
};
