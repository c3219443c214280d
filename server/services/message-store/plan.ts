// What the two providers' stores share and what can be tested without a database: the scopes,
// row → wire mapping, and the plan of a batch (which sends are new, their seqs, every answer).
import { randomUUID } from "node:crypto";
import { nameKey } from "../../files/names.ts";
import { toWireFile } from "../../files/wire-file.ts";
import type { Page, WireDirectMessage, WireMessage, WireMessageBase } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import {
  type Changed,
  type FileRecord,
  isChange,
  type MessageChange,
  type MessageJob,
  type Outcome,
  type OutgoingMessage,
  type Stored,
} from "../messages.ts";
import type { Row, Scope } from "./types.ts";

const iso = (at: Date | string | number | null) => (at === null ? null : new Date(at).toISOString());

function wireBase(row: Row): WireMessageBase {
  const deletedAt = iso(row.deletedAt);
  const message: WireMessageBase = {
    id: row.id,
    seq: Number(row.seq),
    rev: Number(row.rev),
    // a tombstone keeps its place and author, nothing of what it said
    body: deletedAt ? "" : row.body,
    author: { id: row.authorId, username: row.username },
    createdAt: row.createdAt.toISOString(),
    clientMsgId: row.clientMsgId,
    editedAt: iso(row.editedAt),
    deletedAt,
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

/**
 * What `change` does to `row` (the message as stored, if it exists), the same for both
 * providers: `done` when there is nothing to write (refused: no such message, a deleted one or
 * someone else's; or an edit to the same body); else `apply`, which gives the message as it is
 * once the store has written the change with `rev` at `at`.
 */
export function planChange<W>(
  scope: Scope<W>,
  scopeId: string,
  row: Row | undefined,
  change: MessageChange,
): { done: Outcome<W> } | { row: Row; apply(rev: number, at: Date): Changed<W> } {
  if (!row || row.deletedAt !== null) return { done: { refused: new AppError("not_found", "No such message.") } };
  if (row.authorId !== change.author.id) {
    const what = change.kind === "edit" ? "edit" : "delete";
    return { done: { refused: new AppError("forbidden", `Only its author can ${what} a message.`) } };
  }
  if (change.kind === "edit" && change.body === row.body) {
    return { done: { message: scope.wire(scopeId, row), changed: false, removedFile: null } };
  }
  return {
    row,
    apply(rev, at) {
      const now: Row =
        change.kind === "edit"
          ? { ...row, rev, body: change.body, editedAt: at }
          : { ...row, rev, body: "", deletedAt: at, fileRemovedAt: row.fileId === null ? null : (row.fileRemovedAt ?? at) };
      // a deletion takes its file's bytes with it (unless the uploader removed them already)
      const removedFile =
        change.kind === "delete" && row.fileId !== null && row.fileRemovedAt === null
          ? { id: row.fileId, thumbnail: row.thumbWidth !== null }
          : null;
      return { message: scope.wire(scopeId, now), changed: true, removedFile };
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
  /** one answer per input, in input order */
  answers: Stored<W>[];
}

/**
 * Plans a batch for one room or conversation, given the rows already stored with any of its
 * clientMsgIds: `fresh` are the sends to insert (a repeat, earlier or within the batch, is not);
 * `finish` numbers them from `firstSeq` once the store has reserved their seqs.
 */
export function plan<W>(scope: Scope<W>, scopeId: string, batch: OutgoingMessage[], existing: Row[], now = new Date()) {
  const stored = new Map<string, Stored<W>>();
  for (const row of existing) {
    stored.set(dedupeKey(row.authorId, row.clientMsgId), { message: scope.wire(scopeId, row), created: false });
  }
  const fresh: OutgoingMessage[] = [];
  const seen = new Set(stored.keys());
  for (const m of batch) {
    const key = dedupeKey(m.author.id, m.clientMsgId);
    if (!seen.has(key)) {
      seen.add(key);
      fresh.push(m);
    }
  }
  return {
    fresh,
    createdAt: now,
    finish(firstSeq: number, firstRev: number): Written<W> {
      const readUpTo = new Map<string, number>();
      const rows = fresh.map((m, i): Row => {
        const row = {
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
          ...fileColumns(m.file),
        };
        stored.set(dedupeKey(m.author.id, m.clientMsgId), { message: scope.wire(scopeId, row), created: true });
        readUpTo.set(m.author.id, row.seq);
        return row;
      });
      // A repeat within this batch is answered with the copy stored for its first occurrence.
      const answered = new Set<string>();
      const answers = batch.map((m) => {
        const key = dedupeKey(m.author.id, m.clientMsgId);
        const result = stored.get(key) as Stored<W>;
        const first = !answered.has(key);
        answered.add(key);
        return first ? result : { message: result.message, created: false };
      });
      return { rows, files: fresh.map((m) => m.file), readUpTo, answers };
    },
  };
}
