// The message store on SQLite: better-sqlite3's synchronous statements, one transaction per
// write of the queue (several rooms at once: SQLite has one writer anyway).
import BetterSqlite3 from "better-sqlite3";
import { whileBusyRetry } from "../../db/busy.ts";
import { orderedId } from "../../db/ordered-id.ts";
import { allAsObjects, SQLITE_PRAGMAS } from "../../db/sqlite.ts";
import { DEFAULT_DATABASE_TIMEOUT_MS } from "../../db/timeouts.ts";
import type { Page, PageCursor, SyncPage } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import { isChange, type MessageChange, type MessageJob, type Outcome, type OutgoingMessage, type Stored } from "../messages.ts";
import { entryOfRow } from "../search/entry.ts";
import { planChange, relatedTo } from "./change-plan.ts";
import { fileValues, plan, splitJobs, syncPage, toPage } from "./plan.ts";
import type { Row, RowWrite, Scope, ScopeBatch, ScopedStore } from "./types.ts";

// Prisma keeps DateTime on SQLite as milliseconds since the epoch (server/db.ts).
type SqliteRow = Omit<Row, "createdAt"> & { createdAt: number };
/** A time as SQLite keeps it (milliseconds), or null, as a Date. */
export const date = (ms: Date | number | null) => (ms === null ? null : new Date(ms));
/**
 * A row as read (each read returns fresh objects, which nothing else holds), its times made Dates
 * in place: a copy per row was most of what a page of history allocated.
 */
function fromSqlite(read: SqliteRow): Row {
  const row = read as unknown as Row;
  row.createdAt = new Date(read.createdAt);
  row.editedAt = date(read.editedAt);
  row.deletedAt = date(read.deletedAt);
  row.pinnedAt = date(read.pinnedAt as number | null);
  return row;
}
const ms = (at: Date | null) => (at === null ? null : at.getTime());

/** Scopes whose newest page is kept (the most recently read ones). */
const NEWEST_PAGES_KEPT = 256;

/** A scope's newest page as read when the scope's counters were these. */
interface NewestPage<W> {
  lastSeq: number;
  rev: number;
  limit: number;
  page: Page<W>;
}

export function openSqlite(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  return db;
}

export class SqliteMessageStore<W> implements ScopedStore<W> {
  private readonly before: (scopeId: string, beforeSeq: number, limit: number) => SqliteRow[];
  private readonly after: (scopeId: string, afterSeq: number, limit: number) => SqliteRow[];
  private readonly changedAfter: (scopeId: string, afterRev: number, limit: number) => SqliteRow[];
  private readonly scopeCounters: BetterSqlite3.Statement;
  /**
   * Every room:join and reload reads its scope's newest page. It stays right while its scope's
   * lastSeq and rev are what they were: every new message takes the next seq, and every change to
   * a message's wire form (edit, deletion, reaction, pin, reply count, a quoted message's text, a
   * removed file) takes the next rev, in the same transaction, as the change feed relies on too.
   * Read here, the counters also cover writes made by another process or node. Most recently used last.
   */
  private readonly newest = new Map<string, NewestPage<W>>();
  private readonly byId: (idsJson: string) => (SqliteRow & { scopeId: string })[];
  private readonly writeOne: (scopeId: string, batch: MessageJob[]) => Outcome<W>[];
  private readonly writeMany: (batches: ScopeBatch[]) => Outcome<W>[][];

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly scope: Scope<W>,
    private readonly ownsDb: boolean,
    /** how long a write may wait for another process's lock (DATABASE_TIMEOUT_MS) */
    private readonly busyBudgetMs = DEFAULT_DATABASE_TIMEOUT_MS,
  ) {
    const { table, parent, key, versions } = scope;
    const columns = `SELECT m.${key} AS scopeId, m.id, m.seq, m.rev, m.body, m.clientMsgId, m.createdAt, m.editedAt, m.deletedAt, m.deletedById, m.pinnedAt, m.pinnedById, m.authorId,
         u.username, m.fileId, f.name AS fileName, f.size AS fileSize, f.mimeType AS fileType, f.thumbWidth, f.thumbHeight,
         f.removedAt AS fileRemovedAt, m.replyToId, m.replyCount, m.reactions, m.mentions, m.via, r.seq AS replySeq,
         r.authorId AS replyAuthorId, ru.username AS replyUsername, r.body AS replyBody, r.deletedAt AS replyDeletedAt,
         CASE WHEN rf.removedAt IS NULL THEN rf.name END AS replyFileName
       FROM "${table}" m JOIN "User" u ON u.id = m.authorId LEFT JOIN "File" f ON f.id = m.fileId
         LEFT JOIN "${table}" r ON r.id = m.replyToId LEFT JOIN "User" ru ON ru.id = r.authorId
         LEFT JOIN "File" rf ON rf.id = r.fileId`;
    const select = `${columns} WHERE m.${key} = ?`;
    // the reads that answer many rows build them in JavaScript (allAsObjects: twice as fast)
    this.byId = allAsObjects(db.prepare(`${columns} WHERE m.id IN (SELECT value FROM json_each(?))`));
    const findExisting = db.prepare(`${select} AND m.authorId = ? AND m.clientMsgId = ?`);
    const findById = db.prepare(`${select} AND m.id = ?`);
    const findReplies = db.prepare(`${select} AND m.replyToId = ? AND m.deletedAt IS NULL ORDER BY m.seq`);
    const find = (scopeId: string, id: string) => {
      const row = findById.get(scopeId, id) as SqliteRow | undefined;
      return row && fromSqlite(row);
    };
    const bumpParent = db.prepare(
      `UPDATE "${parent}" SET lastSeq = lastSeq + ?, rev = rev + ?, lastMessageAt = ?, activityAt = ? WHERE id = ?
       AND NOT (${scope.frozen}) RETURNING lastSeq, rev`,
    );
    const bumpRev = db.prepare(`UPDATE "${parent}" SET rev = rev + ? WHERE id = ? AND NOT (${scope.frozen}) RETURNING rev`);
    const isFrozen = db.prepare(`SELECT (${scope.frozen}) AS frozen FROM "${parent}" WHERE id = ?`);
    /** Why a write to `scopeId` changed no row: it is not there, or frozen (an archived room). */
    const refusal = (scopeId: string) =>
      isFrozen.get(scopeId) === undefined
        ? new AppError("not_found", scope.notFound)
        : new AppError("forbidden", scope.frozenMessage);
    const insert = db.prepare(
      `INSERT INTO "${table}" (id, ${key}, seq, rev, authorId, body, clientMsgId, createdAt, fileId, replyToId, mentions, via)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertFile = db.prepare(
      `INSERT INTO "File" (id, name, nameKey, size, mimeType, sha256, uploaderId, ${key}, thumbWidth, thumbHeight, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const keepVersion = db.prepare(`INSERT INTO "${versions}" (id, messageId, body, replacedAt) VALUES (?, ?, ?, ?)`);
    const update = db.prepare(
      `UPDATE "${table}" SET rev = ?, body = ?, editedAt = ?, deletedAt = ?, deletedById = ?, pinnedAt = ?, pinnedById = ?,
       replyCount = ?, reactions = ?, mentions = ? WHERE id = ?`,
    );
    const write = (w: RowWrite) =>
      update.run(
        w.rev,
        w.body,
        ms(w.editedAt),
        ms(w.deletedAt),
        w.deletedById,
        w.pinnedAt === null ? null : new Date(w.pinnedAt).getTime(),
        w.pinnedById,
        w.replyCount,
        w.reactions,
        w.mentions,
        w.id,
      );
    const removeFile = db.prepare(`UPDATE "File" SET removedAt = COALESCE(removedAt, ?) WHERE id = ?`);
    // the search index's entry of each message, in the same transaction (decision 015)
    const indexInsert = db.prepare(
      `INSERT INTO "SearchText" (messageId, ${key}, authorId, createdAt, fileType, text, grams) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const indexUpdate = db.prepare(`UPDATE "SearchText" SET fileType = ?, text = ?, grams = ? WHERE messageId = ?`);
    const indexDelete = db.prepare(`DELETE FROM "SearchText" WHERE messageId = ?`);
    const markRead = db.prepare(`UPDATE "${scope.marks}" SET lastReadSeq = MAX(lastReadSeq, ?) WHERE ${key} = ? AND userId = ?`);
    this.before = allAsObjects(db.prepare(`${select} AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`));
    this.after = allAsObjects(db.prepare(`${select} AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`));
    this.changedAfter = allAsObjects(db.prepare(`${select} AND m.rev > ? ORDER BY m.rev ASC LIMIT ?`));
    this.scopeCounters = db.prepare(`SELECT lastSeq, rev FROM "${parent}" WHERE id = ?`);

    const insertSends = (scopeId: string, batch: OutgoingMessage[]): Outcome<W>[] => {
      const existing: Row[] = [];
      for (const m of batch) {
        const row = findExisting.get(scopeId, m.author.id, m.clientMsgId) as SqliteRow | undefined;
        if (row) existing.push(fromSqlite(row));
      }
      const replied = new Set(batch.flatMap((m) => (m.replyTo === undefined ? [] : [m.replyTo])));
      const originals = [...replied].flatMap((id) => find(scopeId, id) ?? []);
      const p = plan(scope, scopeId, batch, existing, originals);
      if (p.fresh.length === 0) return p.finish(0, 0).answers;
      const at = p.createdAt.getTime();
      const n = p.fresh.length;
      const bumped = bumpParent.get(n, p.revs, at, at, scopeId) as { lastSeq: number; rev: number } | undefined;
      if (!bumped) throw refusal(scopeId);
      const written = p.finish(bumped.lastSeq - n + 1, bumped.rev - p.revs + 1);
      written.rows.forEach((r, i) => {
        const f = written.files[i];
        if (f) insertFile.run(...fileValues(f, r, scopeId), at);
        insert.run(r.id, scopeId, r.seq, r.rev, r.authorId, r.body, r.clientMsgId, at, r.fileId, r.replyToId, r.mentions, r.via);
        const entry = entryOfRow(r);
        indexInsert.run(r.id, scopeId, r.authorId, at, entry.fileType, entry.text, entry.grams);
      });
      for (const original of written.originals) write(original);
      for (const [authorId, seq] of written.readUpTo) markRead.run(seq, scopeId, authorId);
      return written.answers;
    };

    const applyChange = (scopeId: string, change: MessageChange): Outcome<W> => {
      const row = find(scopeId, change.messageId);
      const needs = relatedTo(row, change);
      const replies = needs.replies ? (findReplies.all(scopeId, change.messageId) as SqliteRow[]).map(fromSqlite) : [];
      const original = needs.originalId === null ? undefined : find(scopeId, needs.originalId);
      const p = planChange(scope, scopeId, row, change, { replies, original });
      if ("done" in p) return p.done;
      const bumped = bumpRev.get(p.revs, scopeId) as { rev: number } | undefined;
      if (!bumped) throw refusal(scopeId);
      const { rev } = bumped;
      const at = new Date();
      const written = p.apply(rev - p.revs + 1, at);
      if (written.version) keepVersion.run(orderedId(), written.version.messageId, written.version.body, at.getTime());
      for (const w of written.rows) write(w);
      if (change.kind === "delete") indexDelete.run(change.messageId);
      else if (change.kind === "edit" && row) {
        const entry = entryOfRow({ ...row, body: change.body });
        indexUpdate.run(entry.fileType, entry.text, entry.grams, change.messageId);
      }
      const { removedFile } = written.outcome;
      if (removedFile) removeFile.run(at.getTime(), removedFile.id);
      return written.outcome;
    };

    // new messages first (they take the next seqs and revs together), then changes in order
    const writeBatch = (scopeId: string, batch: MessageJob[]): Outcome<W>[] => {
      const { sends, merge } = splitJobs(batch);
      const sent = sends.length > 0 ? insertSends(scopeId, sends) : [];
      const changed = batch.filter(isChange).map((change) => applyChange(scopeId, change));
      return merge(sent, changed);
    };
    this.writeOne = db.transaction(writeBatch);
    this.writeMany = db.transaction((batches: ScopeBatch[]) => batches.map((b) => writeBatch(b.scopeId, b.messages)));
  }

  storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    // new messages only: each outcome is a Stored
    return whileBusyRetry(() => this.writeOne(scopeId, batch) as Stored<W>[], this.busyBudgetMs);
  }

  storeBatches(batches: ScopeBatch[]): Promise<Outcome<W>[][]> {
    return whileBusyRetry(() => this.writeMany(batches), this.busyBudgetMs);
  }

  async page(scopeId: string, cursor: PageCursor, limit: number): Promise<Page<W>> {
    const newest = cursor.beforeSeq === undefined && cursor.afterSeq === undefined;
    return newest ? this.newestPage(scopeId, limit) : this.read(scopeId, cursor, limit);
  }

  /** A page as stored now (MessageStore.page), read from the database. */
  private read(scopeId: string, cursor: PageCursor, limit: number): Page<W> {
    const { beforeSeq, afterSeq } = cursor;
    const rows =
      afterSeq === undefined
        ? this.before(scopeId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1)
        : this.after(scopeId, afterSeq, limit + 1);
    return toPage(this.scope, scopeId, rows.map(fromSqlite), limit, afterSeq === undefined);
  }

  /** The newest page, kept while its scope's counters stay as they were (see `newest`); callers never change it. */
  private newestPage(scopeId: string, limit: number): Page<W> {
    const now = this.scopeCounters.get(scopeId) as { lastSeq: number; rev: number } | undefined;
    const kept = this.newest.get(scopeId);
    this.newest.delete(scopeId);
    if (now === undefined) return { messages: [], hasMore: false };
    if (kept !== undefined && kept.lastSeq === now.lastSeq && kept.rev === now.rev && kept.limit === limit) {
      this.newest.set(scopeId, kept);
      return kept.page;
    }
    const page = this.read(scopeId, {}, limit);
    this.newest.set(scopeId, { lastSeq: now.lastSeq, rev: now.rev, limit, page });
    if (this.newest.size > NEWEST_PAGES_KEPT) this.newest.delete(this.newest.keys().next().value as string);
    return page;
  }

  async byIds(ids: string[]): Promise<W[]> {
    if (ids.length === 0) return [];
    const rows = this.byId(JSON.stringify(ids));
    return rows.map((row) => this.scope.wire(row.scopeId, fromSqlite(row)));
  }

  async sync(scopeId: string, afterRev: number, limit: number): Promise<SyncPage<W>> {
    // one read transaction: the scope's rev and the changes agree
    return this.db.transaction(() => {
      const scopeRev = (this.scopeCounters.get(scopeId) as { rev: number } | undefined)?.rev ?? 0;
      const rows = this.changedAfter(scopeId, afterRev, limit + 1).map(fromSqlite);
      return syncPage(this.scope, scopeId, rows, limit, scopeRev, afterRev);
    })();
  }

  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
