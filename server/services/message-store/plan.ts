// What the two providers' stores share for new messages, testable without a database: the plan
// of a batch (which sends are new, their seqs, the originals replies count on, every answer),
// and the shapes of pages and of the change feed.

import { orderedId } from "../../db/ordered-id.ts";
import { nameKey } from "../../files/names.ts";
import type { Page } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import { type FileRecord, isChange, type MessageJob, type Outcome, type OutgoingMessage } from "../messages.ts";
import type { Row, RowWrite, Scope } from "./types.ts";
import { quoting, toWrite } from "./wire.ts";

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
 * from `firstSeq` and `firstRev` once the store has reserved those. A store that writes the rows
 * before it knows their numbers (PostgreSQL's plain sends) gives `ids` (one per fresh send) and
 * calls `finish` twice: for the rows, then, with the numbers reserved, for the answers.
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
  const fresh: OutgoingMessage[] = [];
  const seen = new Set(stored.keys());
  for (const m of batch) {
    const key = dedupeKey(m.author.id, m.clientMsgId);
    if (seen.has(key)) continue;
    if (m.replyTo !== undefined && !found.has(m.replyTo)) {
      stored.set(key, { refused: new AppError("not_found", "The message you reply to is not here (or was deleted).") });
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
    finish(firstSeq: number, firstRev: number, ids?: readonly string[]): Written<W> {
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
          id: ids?.[i] ?? orderedId(),
          seq: firstSeq + i,
          rev: firstRev + i,
          editedAt: null,
          deletedAt: null,
          deletedById: null,
          pinnedAt: null,
          pinnedById: null,
          body: m.body,
          clientMsgId: m.clientMsgId,
          createdAt: now,
          authorId: m.author.id,
          username: m.author.username,
          replyToId: null,
          replyCount: 0,
          reactions: null,
          mentions: m.mentions ?? null,
          via: m.via ? JSON.stringify(m.via) : null,
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
