// The message store on SQLite: better-sqlite3's synchronous statements, one transaction per
// write of the queue (several rooms at once: SQLite has one writer anyway).
import BetterSqlite3 from "better-sqlite3";
import { whileBusyRetry } from "../../db/busy.ts";
import { SQLITE_PRAGMAS } from "../../db/sqlite.ts";
import { DEFAULT_DATABASE_TIMEOUT_MS } from "../../db/timeouts.ts";
import type { Page, PageCursor } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import type { OutgoingMessage, Stored } from "../messages.ts";
import { fileValues, plan, toPage } from "./plan.ts";
import type { Row, Scope, ScopeBatch, ScopedStore } from "./types.ts";

// Prisma keeps DateTime on SQLite as milliseconds since the epoch (server/db.ts).
type SqliteRow = Omit<Row, "createdAt"> & { createdAt: number };
const fromSqlite = (row: SqliteRow): Row => ({ ...row, createdAt: new Date(row.createdAt) });

export function openSqlite(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  return db;
}

export class SqliteMessageStore<W> implements ScopedStore<W> {
  private readonly before: BetterSqlite3.Statement;
  private readonly after: BetterSqlite3.Statement;
  private readonly writeOne: (scopeId: string, batch: OutgoingMessage[]) => Stored<W>[];
  private readonly writeMany: (batches: ScopeBatch[]) => Stored<W>[][];

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly scope: Scope<W>,
    private readonly ownsDb: boolean,
    /** how long a write may wait for another process's lock (DATABASE_TIMEOUT_MS) */
    private readonly busyBudgetMs = DEFAULT_DATABASE_TIMEOUT_MS,
  ) {
    const { table, parent, key } = scope;
    const select = `SELECT m.id, m.seq, m.body, m.clientMsgId, m.createdAt, m.authorId, u.username, m.fileId,
         f.name AS fileName, f.size AS fileSize, f.mimeType AS fileType, f.thumbWidth, f.thumbHeight,
         f.removedAt AS fileRemovedAt
       FROM "${table}" m JOIN "User" u ON u.id = m.authorId LEFT JOIN "File" f ON f.id = m.fileId WHERE m.${key} = ?`;
    const findExisting = db.prepare(`${select} AND m.authorId = ? AND m.clientMsgId = ?`);
    const bumpParent = db.prepare(
      `UPDATE "${parent}" SET lastSeq = lastSeq + ?, lastMessageAt = ?, activityAt = ? WHERE id = ? RETURNING lastSeq`,
    );
    const insert = db.prepare(
      `INSERT INTO "${table}" (id, ${key}, seq, authorId, body, clientMsgId, createdAt, fileId) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertFile = db.prepare(
      `INSERT INTO "File" (id, name, nameKey, size, mimeType, sha256, uploaderId, ${key}, thumbWidth, thumbHeight, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const markRead = scope.readMarks
      ? db.prepare(`UPDATE "ConversationMember" SET lastReadSeq = MAX(lastReadSeq, ?) WHERE conversationId = ? AND userId = ?`)
      : null;
    this.before = db.prepare(`${select} AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`);
    this.after = db.prepare(`${select} AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`);

    const insertBatch = (scopeId: string, batch: OutgoingMessage[]): Stored<W>[] => {
      const existing: Row[] = [];
      for (const m of batch) {
        const row = findExisting.get(scopeId, m.author.id, m.clientMsgId) as SqliteRow | undefined;
        if (row) existing.push(fromSqlite(row));
      }
      const p = plan(scope, scopeId, batch, existing);
      if (p.fresh.length === 0) return p.finish(0).answers;
      const at = p.createdAt.getTime();
      const bumped = bumpParent.get(p.fresh.length, at, at, scopeId) as { lastSeq: number } | undefined;
      if (!bumped) throw new AppError("not_found", scope.notFound);
      const { rows, files, readUpTo, answers } = p.finish(bumped.lastSeq - p.fresh.length + 1);
      rows.forEach((r, i) => {
        const f = files[i];
        if (f) insertFile.run(...fileValues(f, r, scopeId), at);
        insert.run(r.id, scopeId, r.seq, r.authorId, r.body, r.clientMsgId, at, r.fileId);
      });
      if (markRead) for (const [authorId, seq] of readUpTo) markRead.run(seq, scopeId, authorId);
      return answers;
    };
    this.writeOne = db.transaction(insertBatch);
    this.writeMany = db.transaction((batches: ScopeBatch[]) => batches.map((b) => insertBatch(b.scopeId, b.messages)));
  }

  storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    return whileBusyRetry(() => this.writeOne(scopeId, batch), this.busyBudgetMs);
  }

  storeBatches(batches: ScopeBatch[]): Promise<Stored<W>[][]> {
    return whileBusyRetry(() => this.writeMany(batches), this.busyBudgetMs);
  }

  async page(scopeId: string, cursor: PageCursor, limit: number): Promise<Page<W>> {
    const newestFirst = cursor.afterSeq === undefined;
    const rows = newestFirst
      ? (this.before.all(scopeId, cursor.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1) as SqliteRow[])
      : (this.after.all(scopeId, cursor.afterSeq, limit + 1) as SqliteRow[]);
    return toPage(this.scope, scopeId, rows.map(fromSqlite), limit, newestFirst);
  }

  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
