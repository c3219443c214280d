// What the two providers' stores share and what can be tested without a database: the scopes,
// row → wire mapping, and the plan of a batch (which sends are new, their seqs, every answer).
import { randomUUID } from "node:crypto";
import { nameKey } from "../../files/names.ts";
import { toWireFile } from "../../files/wire-file.ts";
import type { Page, WireDirectMessage, WireMessage, WireMessageBase } from "../../protocol/index.ts";
import type { FileRecord, OutgoingMessage, Stored } from "../messages.ts";
import type { Row, Scope } from "./types.ts";

function wireBase(row: Row): WireMessageBase {
  const message: WireMessageBase = {
    id: row.id,
    seq: Number(row.seq),
    body: row.body,
    author: { id: row.authorId, username: row.username },
    createdAt: row.createdAt.toISOString(),
    clientMsgId: row.clientMsgId,
  };
  if (row.fileId !== null) {
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
  parent: "Room",
  key: "roomId",
  notFound: "No such room.",
  readMarks: false,
  wire: (roomId, row) => ({ ...wireBase(row), roomId }),
};

export const CONVERSATIONS: Scope<WireDirectMessage> = {
  table: "DirectMessage",
  parent: "Conversation",
  key: "conversationId",
  notFound: "No such conversation.",
  readMarks: true,
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
    finish(firstSeq: number): Written<W> {
      const readUpTo = new Map<string, number>();
      const rows = fresh.map((m, i): Row => {
        const row = {
          id: randomUUID(),
          seq: firstSeq + i,
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
