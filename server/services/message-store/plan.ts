// What the two providers' stores share and what can be tested without a database: the scopes,
// row → wire mapping, and the plan of a batch (which sends are new, their seqs, every answer).
import { randomUUID } from "node:crypto";
import { nameKey } from "../../files/names.ts";
import { toWireFile } from "../../files/wire-file.ts";
import type {
  Page,
  PublicUser,
  Reaction,
  ReplyQuote,
  WireDirectMessage,
  WireMessage,
  WireMessageBase,
} from "../../protocol/index.ts";
import { MAX_REACTIONS_PER_MESSAGE } from "../../protocol/limits.ts";
import { excerptOf } from "../../protocol/text.ts";
import { AppError } from "../errors.ts";
import {
  type Changed,
  type FileRecord,
  isChange,
  type MessageChange,
  type MessageJob,
  type Outcome,
  type OutgoingMessage,
} from "../messages.ts";
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

const reactionsOf = (row: Row): Reaction[] => (row.reactions === null ? [] : (JSON.parse(row.reactions) as Reaction[]));

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
const toWrite = (row: Row): RowWrite => ({
  id: row.id,
  rev: row.rev,
  body: row.body,
  editedAt: row.editedAt,
  deletedAt: row.deletedAt,
  replyCount: Number(row.replyCount),
  reactions: row.reactions,
});

/** `reply` quoting `original` as it is now. */
const quoting = (reply: Row, original: Row): Row => ({
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
  marks: "Membership",
  wire: (roomId, row) => ({ ...wireBase(row), roomId }),
};

export const CONVERSATIONS: Scope<WireDirectMessage> = {
  table: "DirectMessage",
  versions: "DirectMessageVersion",
  parent: "Conversation",
  key: "conversationId",
  notFound: "No such conversation.",
  marks: "ConversationMember",
  wire: (conversationId, row) => ({ ...wireBase(row), conversationId }),
};

const dedupeKey = (authorId: string, clientMsgId: string) => `${authorId}\u0000${clientMsgId}`;

/** A File row's values, in the column order of both providers' INSERT (createdAt last, added by each). */
export function fileValues(f: FileRecord, row: Row, scopeId: string) {
  return [f.id, f.name, nameKey(f.name), f.size, f.type, f.sha256, row.authorId, scopeId, row.thumbWidth, row.thumbHeight];
}

function fileColumns(file: FileRecord | undefined) {
  return {
    fileId: file?.id ?? null,
    fileName: file?.name ?? null,
    fileSize: file?.size ?? null,
    fileType: file?.type ?? null,
    thumbWidth: file?.thumbnail?.width ?? null,
    thumbHeight: file?.thumbnail?.height ?? null,
    fileRemovedAt: null,
  };
}

/** What a change needs read beside its message: the replies to it, and the original it replies to. */
export function relatedTo(row: Row | undefined, change: MessageChange) {
  const changesText = change.kind !== "react" && row !== undefined && row.deletedAt === null;
  return {
    // their quotes show its text
    replies: changesText && Number(row.replyCount) > 0,
    // a deleted reply no longer counts
    originalId: changesText && change.kind === "delete" ? row.replyToId : null,
  };
}

/** What a change writes, once the store has taken its revs. */
export interface ChangeWrites<W> {
  outcome: Changed<W>;
  /** every message whose columns change, each with its new rev */
  rows: RowWrite[];
  /** the body it replaces, to keep (an edit's or a deletion's) */
  version: { messageId: string; body: string } | null;
}

/** The reactions of `row` with `change` (a reaction) made; null: nothing changes; an AppError: refused. */
function react(row: Row, change: { emoji: string; add: boolean; author: PublicUser }): string | null | AppError {
  const reactions = reactionsOf(row);
  const at = reactions.findIndex((r) => r.emoji === change.emoji);
  const mine = at !== -1 && reactions[at].users.some((u) => u.id === change.author.id);
  if (change.add === mine) return null;
  if (change.add) {
    if (at === -1) {
      if (reactions.length >= MAX_REACTIONS_PER_MESSAGE) {
        return new AppError("conflict", `A message can have at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`);
      }
      reactions.push({ emoji: change.emoji, count: 0, users: [] });
    }
    const r = reactions[at === -1 ? reactions.length - 1 : at];
    r.users.push({ id: change.author.id, username: change.author.username });
    r.count = r.users.length;
  } else {
    const r = reactions[at];
    r.users = r.users.filter((u) => u.id !== change.author.id);
    r.count = r.users.length;
    if (r.count === 0) reactions.splice(at, 1);
  }
  return reactions.length === 0 ? "" : JSON.stringify(reactions);
}

/**
 * What `change` does to `row` (the message as stored, if it exists), the same for both
 * providers: `done` when there is nothing to write (refused: no such message, a deleted one,
 * someone else's to edit or delete, too many reactions; or nothing new: the same body, a
 * reaction already there or not there); else `revs`, how many revs the store takes, and
 * `apply`, which gives what to write and the messages as they are after it. `related` is what
 * `relatedTo` asked for: the replies to the message (not deleted) and the original it replies to.
 */
export function planChange<W>(
  scope: Scope<W>,
  scopeId: string,
  row: Row | undefined,
  change: MessageChange,
  related: { replies: Row[]; original?: Row } = { replies: [] },
): { done: Outcome<W> } | { revs: number; apply(firstRev: number, at: Date): ChangeWrites<W> } {
  if (!row || row.deletedAt !== null) return { done: { refused: new AppError("not_found", "No such message.") } };
  const unchanged: { done: Outcome<W> } = {
    done: { message: scope.wire(scopeId, row), changed: false, removedFile: null, alsoChanged: [] },
  };
  if (change.kind === "react") {
    const reactions = react(row, change);
    if (reactions === null) return unchanged;
    if (reactions instanceof AppError) return { done: { refused: reactions } };
    return {
      revs: 1,
      apply(rev) {
        const now = { ...row, rev, reactions: reactions === "" ? null : reactions };
        const outcome = { message: scope.wire(scopeId, now), changed: true, removedFile: null, alsoChanged: [] };
        return { outcome, rows: [toWrite(now)], version: null };
      },
    };
  }
  if (row.authorId !== change.author.id) {
    const what = change.kind === "edit" ? "edit" : "delete";
    return { done: { refused: new AppError("forbidden", `Only its author can ${what} a message.`) } };
  }
  if (change.kind === "edit" && change.body === row.body) return unchanged;
  const { replies, original } = related;
  return {
    revs: 1 + replies.length + (original ? 1 : 0),
    apply(rev, at) {
      const now: Row =
        change.kind === "edit"
          ? { ...row, rev, body: change.body, editedAt: at }
          : {
              ...row,
              rev,
              body: "",
              deletedAt: at,
              reactions: null,
              fileRemovedAt: row.fileId === null ? null : (row.fileRemovedAt ?? at),
            };
      // the replies quote it as it is now; a deleted reply no longer counts for its original
      const others = replies.map((reply, i) => ({ ...quoting(reply, now), rev: rev + 1 + i }));
      if (original) {
        others.push({ ...original, replyCount: Math.max(0, Number(original.replyCount) - 1), rev: rev + 1 + replies.length });
      }
      // a deletion takes its file's bytes with it (unless the uploader removed them already)
      const removedFile =
        change.kind === "delete" && row.fileId !== null && row.fileRemovedAt === null
          ? { id: row.fileId, thumbnail: row.thumbWidth !== null }
          : null;
      return {
        outcome: {
          message: scope.wire(scopeId, now),
          changed: true,
          removedFile,
          alsoChanged: others.map((other) => scope.wire(scopeId, other)),
        },
        rows: [toWrite(now), ...others.map(toWrite)],
        version: { messageId: row.id, body: row.body },
      };
    },
  };
}

/**
 * The new messages of a batch, to be written first (they take the next seqs and revs together),
 * and `merge`, which puts their outcomes and those of the changes (written after, in order) back
 * in the batch's order.
 */
export function splitJobs(batch: MessageJob[]) {
  const sends = batch.filter((job): job is OutgoingMessage => !isChange(job));
  return {
    sends,
    merge<W>(sent: Outcome<W>[], changed: Outcome<W>[]): Outcome<W>[] {
      let s = 0;
      let c = 0;
      return batch.map((job) => (isChange(job) ? changed[c++] : sent[s++]));
    },
  };
}

/**
 * A page of the change feed from rows fetched `limit + 1` at a time in rev order: where to ask
 * next is the last rev given while more remain, else the scope's own rev.
 */
export function syncPage<W>(scope: Scope<W>, scopeId: string, rows: Row[], limit: number, scopeRev: number, afterRev: number) {
  const kept = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const last = Number(kept.at(-1)?.rev ?? afterRev);
  return {
    messages: kept.map((row) => scope.wire(scopeId, row)),
    rev: hasMore ? last : Math.max(Number(scopeRev), last),
    hasMore,
  };
}

/** Rows fetched `limit + 1` at a time, nearest the cursor first, as a page in seq order. */
export function toPage<W>(scope: Scope<W>, scopeId: string, rows: Row[], limit: number, newestFirst: boolean): Page<W> {
  const kept = rows.slice(0, limit).map((row) => scope.wire(scopeId, row));
  return { messages: newestFirst ? kept.reverse() : kept, hasMore: rows.length > limit };
}

/** The new rows of a batch, with what each store writes beside them. */
export interface Written<W> {
  rows: Row[];
  /** the file each new row carries, if any, by index */
  files: (FileRecord | undefined)[];
  /** each author's highest new seq: their own messages are read for them */
  readUpTo: Map<string, number>;
  /** the originals the new replies raised the replyCount of, with their new revs */
  originals: RowWrite[];
  /** one answer per input, in input order */
  answers: Outcome<W>[];
}

/**
 * Plans a batch for one room or conversation, given the rows already stored with any of its
 * clientMsgIds and the messages its replies answer (found in this scope): `fresh` are the sends
 * to insert (not a repeat, earlier or within the batch, nor a reply to a message that is not
 * there); `revs` how many revs they take with the originals they change; `finish` numbers them
 * from `firstSeq` and `firstRev` once the store has reserved those.
 */
export function plan<W>(
  scope: Scope<W>,
  scopeId: string,
  batch: OutgoingMessage[],
  existing: Row[],
  originals: Row[] = [],
  now = new Date(),
) {
  const stored = new Map<string, Outcome<W>>();
  for (const row of existing) {
    stored.set(dedupeKey(row.authorId, row.clientMsgId), { message: scope.wire(scopeId, row), created: false, alsoChanged: [] });
  }
  const found = new Map(originals.filter((o) => o.deletedAt === null).map((o) => [o.id, o]));
  const refused = new AppError("not_found", "The message you reply to is not here (or was deleted).");
  const fresh: OutgoingMessage[] = [];
  const seen = new Set(stored.keys());
  for (const m of batch) {
    const key = dedupeKey(m.author.id, m.clientMsgId);
    if (seen.has(key)) continue;
    if (m.replyTo !== undefined && !found.has(m.replyTo)) {
      stored.set(key, { refused });
      continue;
    }
    seen.add(key);
    fresh.push(m);
  }
  // each original once, in the order first replied to, with how many replies it gets
  const replied = new Map<string, number>();
  for (const m of fresh) if (m.replyTo !== undefined) replied.set(m.replyTo, (replied.get(m.replyTo) ?? 0) + 1);
  return {
    fresh,
    createdAt: now,
    revs: fresh.length + replied.size,
    finish(firstSeq: number, firstRev: number): Written<W> {
      const readUpTo = new Map<string, number>();
      const changedOriginals = new Map(
        [...replied].map(([id, count], i) => {
          const original = found.get(id) as Row;
          return [id, { ...original, replyCount: Number(original.replyCount) + count, rev: firstRev + fresh.length + i }];
        }),
      );
      // the last reply to an original in this batch announces its new count
      const lastReply = new Map(fresh.flatMap((m, i) => (m.replyTo === undefined ? [] : [[m.replyTo, i] as const])));
      const rows = fresh.map((m, i): Row => {
        const original = m.replyTo === undefined ? undefined : found.get(m.replyTo);
        const base: Row = {
          id: randomUUID(),
          seq: firstSeq + i,
          rev: firstRev + i,
          editedAt: null,
          deletedAt: null,
          body: m.body,
          clientMsgId: m.clientMsgId,
          createdAt: now,
          authorId: m.author.id,
          username: m.author.username,
          replyToId: null,
          replyCount: 0,
          reactions: null,
          replySeq: null,
          replyAuthorId: null,
          replyUsername: null,
          replyBody: null,
          replyDeletedAt: null,
          replyFileName: null,
          ...fileColumns(m.file),
        };
        const row = original ? quoting(base, original) : base;
        const alsoChanged =
          m.replyTo !== undefined && lastReply.get(m.replyTo) === i
            ? [scope.wire(scopeId, changedOriginals.get(m.replyTo) as Row)]
            : [];
        stored.set(dedupeKey(m.author.id, m.clientMsgId), { message: scope.wire(scopeId, row), created: true, alsoChanged });
        readUpTo.set(m.author.id, row.seq);
        return row;
      });
      // A repeat within this batch is answered with the copy stored for its first occurrence.
      const answered = new Set<string>();
      const answers = batch.map((m): Outcome<W> => {
        const key = dedupeKey(m.author.id, m.clientMsgId);
        const result = stored.get(key) as Outcome<W>;
        const first = !answered.has(key);
        answered.add(key);
        return first || "refused" in result ? result : { ...result, created: false, alsoChanged: [] };
      });
      return { rows, files: fresh.map((m) => m.file), readUpTo, originals: [...changedOriginals.values()].map(toWrite), answers };
    },
  };
}
