import type { Page, PageCursor, SyncPage, WireDirectMessage, WireMessage } from "../../protocol/index.ts";
import type { MessageJob, Outcome, OutgoingMessage, Stored } from "../messages.ts";

export interface ScopeBatch {
  scopeId: string;
  messages: MessageJob[];
}

export interface ScopedStore<W> {
  /**
   * Stores a batch of messages for one room (or conversation) in one transaction and returns them
   * in input order. Sequence numbers are taken by incrementing the parent's `lastSeq` inside the
   * transaction (a row lock on PostgreSQL, the single writer on SQLite), so they are gapless and
   * strictly increasing even with several server nodes. A send whose (author, clientMsgId) is
   * already stored, earlier or in this same batch, gets the stored message back instead of a
   * second copy. In a conversation, what an author wrote is marked read for them in the same
   * transaction. For sends that are not replies (a reply may be refused: the queue's
   * storeBatches answers that).
   */
  storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]>;
  /**
   * What the queue writes: for several scopes in one transaction (all or nothing; SQLite only),
   * new messages as storeBatch does, then changes (edits, deletions) in order, each taking the
   * next rev; a change that may not be made is answered `refused`, and the rest go ahead.
   */
  storeBatches(batches: ScopeBatch[]): Promise<Outcome<W>[][]>;
  /**
   * The change feed: every message created or changed after `afterRev`, in rev order, up to
   * `limit`; `rev` is where to ask from next (the scope's rev when nothing more is there).
   */
  sync(scopeId: string, afterRev: number, limit: number): Promise<SyncPage<W>>;
  /**
   * Up to `limit` messages, oldest first: just before `cursor.beforeSeq`, just after
   * `cursor.afterSeq`, or the newest. `hasMore` says whether more lie beyond them.
   */
  page(scopeId: string, cursor: PageCursor, limit: number): Promise<Page<W>>;
  /** The messages with these ids, in any scope and any order (the ones that exist). */
  byIds(ids: string[]): Promise<W[]>;
  close(): Promise<void>;
}

export type MessageStore = ScopedStore<WireMessage>;
export type DirectMessageStore = ScopedStore<WireDirectMessage>;

/** A message row as both providers' SELECT returns it (createdAt converted by each). */
export interface Row {
  id: string;
  seq: number;
  body: string;
  clientMsgId: string;
  createdAt: Date;
  authorId: string;
  username: string;
  /** the shared file's columns, all null for a text message */
  fileId: string | null;
  fileName: string | null;
  fileSize: number | null;
  fileType: string | null;
  thumbWidth: number | null;
  thumbHeight: number | null;
  /** when the uploader removed the file (null: still there) */
  fileRemovedAt: Date | string | null;
  /** the scope's rev at the message's latest change */
  rev: number;
  editedAt: Date | null;
  deletedAt: Date | null;
  /** who deleted it, when not its author (a room's moderator) */
  deletedById: string | null;
  /** when a room's owner or admin pinned it, and who (null: not pinned) */
  pinnedAt: Date | string | null;
  pinnedById: string | null;
  replyToId: string | null;
  replyCount: number;
  /** the wire's `reactions` as JSON; null: none */
  reactions: string | null;
  /** who it mentions (StoredMentions as JSON); null: nobody */
  mentions: string | null;
  /** how a webhook asked it to be shown (the wire's `via` as JSON); null: as its author */
  via: string | null;
  /** the replied-to message's columns (all null when this is no reply) */
  replySeq: number | null;
  replyAuthorId: string | null;
  replyUsername: string | null;
  replyBody: string | null;
  replyDeletedAt: Date | string | null;
  /** the name of the file the replied-to message shares, unless removed */
  replyFileName: string | null;
}

/** A message's columns that a change may set, as each store's one UPDATE writes them. */
export interface RowWrite {
  id: string;
  rev: number;
  body: string;
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedById: string | null;
  pinnedAt: Date | string | null;
  pinnedById: string | null;
  replyCount: number;
  reactions: string | null;
  mentions: string | null;
}

/** Where messages live: rooms (`Message` under `Room`) or conversations (`DirectMessage` under `Conversation`). */
export interface Scope<W> {
  table: "Message" | "DirectMessage";
  /** where a message's earlier bodies are kept */
  versions: "MessageVersion" | "DirectMessageVersion";
  parent: "Room" | "Conversation";
  key: "roomId" | "conversationId";
  notFound: string;
  /** an SQL condition on the parent row (unqualified columns) under which nothing may be written: an archived room */
  frozen: string;
  /** why a write to a frozen parent is refused */
  frozenMessage: string;
  /** where each member's read mark is kept (moved past what they write themselves) */
  marks: "Membership" | "ConversationMember";
  wire(scopeId: string, row: Row): W;
}
