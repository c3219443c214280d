// The write path of messages, in plain SQL on the driver (docs/decisions/006-message-write-path.md).
// Prisma costs about 2.7 ms of CPU per single-message transaction and ~200 µs per message even in
// batches of 100; these statements cost a few microseconds per message. Everything else, reads
// included, stays on Prisma, which also owns the schema and the migrations.
import { randomUUID } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePath } from "../db/provider.ts";
import { nameKey } from "../files/names.ts";
import { AppError } from "./errors.ts";
import type { NewFile, OutgoingMessage, Stored, WireDirectMessage, WireFile, WireMessage } from "./messages.ts";

/** Where messages live: rooms (`Message` under `Room`) or conversations (`DirectMessage` under `Conversation`). */
interface Scope<W> {
  table: "Message" | "DirectMessage";
  parent: "Room" | "Conversation";
  key: "roomId" | "conversationId";
  notFound: string;
  wire(scopeId: string, row: Row): W;
}

export interface ScopeBatch {
  scopeId: string;
  messages: OutgoingMessage[];
}

export interface Page<W = WireMessage> {
  messages: W[];
  hasMore: boolean;
}

export interface ScopedStore<W> {
  /**
   * Stores a batch of messages for one room (or conversation) in one transaction and returns them
   * in input order. Sequence numbers are taken by incrementing the parent's `lastSeq` inside the
   * transaction (a row lock on PostgreSQL, the single writer on SQLite), so they are gapless and
   * strictly increasing even with several server nodes. A send whose (author, clientMsgId) is
   * already stored, earlier or in this same batch, gets the stored message back instead of a
   * second copy.
   */
  storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]>;
  /** storeBatch for several scopes in one transaction (all or nothing; SQLite only). */
  storeBatches(batches: ScopeBatch[]): Promise<Stored<W>[][]>;
  /**
   * Up to `limit` messages, oldest first: just before `cursor.beforeSeq`, just after
   * `cursor.afterSeq`, or the newest. `hasMore` says whether more lie beyond them.
   */
  page(scopeId: string, cursor: { beforeSeq?: number; afterSeq?: number }, limit: number): Promise<Page<W>>;
  close(): Promise<void>;
}

export type MessageStore = ScopedStore<WireMessage>;
export type DirectMessageStore = ScopedStore<WireDirectMessage>;

function fileOf(row: Row): WireFile {
  return {
    id: row.fileId as string,
    name: row.fileName as string,
    size: Number(row.fileSize),
    type: row.fileType as string,
    thumbnail: row.thumbWidth === null ? null : { width: Number(row.thumbWidth), height: Number(row.thumbHeight) },
  };
}

const common = (row: Row) => ({
  id: row.id,
  seq: Number(row.seq),
  body: row.body,
  author: { id: row.authorId, username: row.username },
  createdAt: row.createdAt.toISOString(),
  clientMsgId: row.clientMsgId,
  ...(row.fileId === null ? {} : { file: fileOf(row) }),
});

const ROOMS: Scope<WireMessage> = {
  table: "Message",
  parent: "Room",
  key: "roomId",
  notFound: "No such room.",
  wire: (roomId, row) => ({ ...common(row), roomId }),
};

const CONVERSATIONS: Scope<WireDirectMessage> = {
  table: "DirectMessage",
  parent: "Conversation",
  key: "conversationId",
  notFound: "No such conversation.",
  wire: (conversationId, row) => ({ ...common(row), conversationId }),
};

const dedupeKey = (authorId: string, clientMsgId: string) => `${authorId}\u0000${clientMsgId}`;

interface Row {
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
}

/** A File row's values, in the column order of both providers' INSERT (createdAt last, added by each). */
function fileValues(f: NewFile, row: Row, scopeId: string) {
  return [f.id, f.name, nameKey(f.name), f.size, f.type, f.sha256, row.authorId, scopeId, row.thumbWidth, row.thumbHeight];
}

const NO_FILE = { fileId: null, fileName: null, fileSize: null, fileType: null, thumbWidth: null, thumbHeight: null };

function fileColumns(file: NewFile | undefined) {
  return file
    ? {
        fileId: file.id,
        fileName: file.name,
        fileSize: file.size,
        fileType: file.type,
        thumbWidth: file.thumbnail?.width ?? null,
        thumbHeight: file.thumbnail?.height ?? null,
      }
    : NO_FILE;
}

/** Rows fetched `limit + 1` at a time, nearest the cursor first, as a page in seq order. */
function toPage<W>(scope: Scope<W>, scopeId: string, rows: Row[], limit: number, newestFirst: boolean): Page<W> {
  const kept = rows.slice(0, limit).map((row) => scope.wire(scopeId, row));
  return { messages: newestFirst ? kept.reverse() : kept, hasMore: rows.length > limit };
}

/** The shared part: which sends are new, their seqs, and the answer for every input. */
function plan<W>(scope: Scope<W>, scopeId: string, batch: OutgoingMessage[], existing: Row[]) {
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
  const createdAt = new Date();
  return {
    fresh,
    createdAt,
    /** Records the new rows once their first seq is known and answers every input in order. */
    finish(firstSeq: number): { rows: Row[]; files: (NewFile | undefined)[]; answers: Stored<W>[] } {
      const rows = fresh.map((m, i): Row => {
        const row = {
          id: randomUUID(),
          seq: firstSeq + i,
          body: m.body,
          clientMsgId: m.clientMsgId,
          createdAt,
          authorId: m.author.id,
          username: m.author.username,
          ...fileColumns(m.file),
        };
        stored.set(dedupeKey(m.author.id, m.clientMsgId), { message: scope.wire(scopeId, row), created: true });
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
      return { rows, files: fresh.map((m) => m.file), answers };
    },
  };
}

// Prisma keeps DateTime on SQLite as milliseconds since the epoch (server/db.ts).
type SqliteRow = Omit<Row, "createdAt"> & { createdAt: number };
const fromSqlite = (row: SqliteRow): Row => ({ ...row, createdAt: new Date(row.createdAt) });

function openSqlite(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

class SqliteMessageStore<W> implements ScopedStore<W> {
  private readonly before: BetterSqlite3.Statement;
  private readonly after: BetterSqlite3.Statement;
  private readonly writeOne: (scopeId: string, batch: OutgoingMessage[]) => Stored<W>[];
  private readonly writeMany: (batches: ScopeBatch[]) => Stored<W>[][];

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly scope: Scope<W>,
    private readonly ownsDb: boolean,
  ) {
    const { table, parent, key } = scope;
    const select = `SELECT m.id, m.seq, m.body, m.clientMsgId, m.createdAt, m.authorId, u.username, m.fileId,
         f.name AS fileName, f.size AS fileSize, f.mimeType AS fileType, f.thumbWidth, f.thumbHeight
       FROM "${table}" m JOIN "User" u ON u.id = m.authorId LEFT JOIN "File" f ON f.id = m.fileId WHERE m.${key} = ?`;
    const findExisting = this.db.prepare(`${select} AND m.authorId = ? AND m.clientMsgId = ?`);
    const bumpParent = this.db.prepare(
      `UPDATE "${parent}" SET lastSeq = lastSeq + ?, lastMessageAt = ?, activityAt = ? WHERE id = ? RETURNING lastSeq`,
    );
    const insert = this.db.prepare(
      `INSERT INTO "${table}" (id, ${key}, seq, authorId, body, clientMsgId, createdAt, fileId) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertFile = this.db.prepare(
      `INSERT INTO "File" (id, name, nameKey, size, mimeType, sha256, uploaderId, ${key}, thumbWidth, thumbHeight, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.before = this.db.prepare(`${select} AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`);
    this.after = this.db.prepare(`${select} AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`);

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
      const { rows, files, answers } = p.finish(bumped.lastSeq - p.fresh.length + 1);
      rows.forEach((r, i) => {
        const f = files[i];
        if (f) {
          insertFile.run(...fileValues(f, r, scopeId), at);
        }
        insert.run(r.id, scopeId, r.seq, r.authorId, r.body, r.clientMsgId, at, r.fileId);
      });
      return answers;
    };
    this.writeOne = this.db.transaction(insertBatch);
    this.writeMany = this.db.transaction((batches: ScopeBatch[]) => batches.map((b) => insertBatch(b.scopeId, b.messages)));
  }

  async storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    return this.writeOne(scopeId, batch);
  }

  async storeBatches(batches: ScopeBatch[]): Promise<Stored<W>[][]> {
    return this.writeMany(batches);
  }

  async page(scopeId: string, cursor: { beforeSeq?: number; afterSeq?: number }, limit: number): Promise<Page<W>> {
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

class PostgresMessageStore<W> implements ScopedStore<W> {
  private readonly select: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly scope: Scope<W>,
    private readonly ownsPool: boolean,
  ) {
    this.select = `SELECT m.id, m.seq, m.body, m."clientMsgId", m."createdAt" AT TIME ZONE 'UTC' AS "createdAt", m."authorId", u.username,
         m."fileId", f.name AS "fileName", f.size AS "fileSize", f."mimeType" AS "fileType", f."thumbWidth", f."thumbHeight"
       FROM "${scope.table}" m JOIN "User" u ON u.id = m."authorId" LEFT JOIN "File" f ON f.id = m."fileId"
       WHERE m."${scope.key}" = $1`;
  }

  async storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    const { table, parent, key } = this.scope;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows: existing } = await client.query<Row>(`${this.select} AND m."clientMsgId" = ANY($2::text[])`, [
        scopeId,
        [...new Set(batch.map((m) => m.clientMsgId))],
      ]);
      // rows of other authors with the same clientMsgId are keyed apart and never match
      const p = plan(this.scope, scopeId, batch, existing);
      if (p.fresh.length === 0) {
        await client.query("COMMIT");
        return p.finish(0).answers;
      }
      // Prisma keeps DateTime on PostgreSQL as UTC in `timestamp(3)` columns.
      const at = p.createdAt.toISOString();
      const bumped = await client.query<{ lastSeq: number }>(
        `UPDATE "${parent}" SET "lastSeq" = "lastSeq" + $1, "lastMessageAt" = ($2::timestamptz AT TIME ZONE 'UTC'),
           "activityAt" = ($2::timestamptz AT TIME ZONE 'UTC') WHERE id = $3 RETURNING "lastSeq"`,
        [p.fresh.length, at, scopeId],
      );
      if (bumped.rowCount === 0) throw new AppError("not_found", this.scope.notFound);
      const { rows, files, answers } = p.finish(bumped.rows[0].lastSeq - p.fresh.length + 1);
      for (const [i, f] of files.entries()) {
        if (!f) continue;
        await client.query(
          `INSERT INTO "File" (id, name, "nameKey", size, "mimeType", sha256, "uploaderId", "${key}", "thumbWidth", "thumbHeight", "createdAt")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ($11::timestamptz AT TIME ZONE 'UTC'))`,
          [...fileValues(f, rows[i], scopeId), at],
        );
      }
      await client.query(
        `INSERT INTO "${table}" (id, "${key}", seq, "authorId", body, "clientMsgId", "createdAt", "fileId")
         SELECT id, $2, seq, author, body, cmid, ($7::timestamptz AT TIME ZONE 'UTC'), file
         FROM unnest($1::text[], $3::int[], $4::text[], $5::text[], $6::text[], $8::text[]) AS t(id, seq, author, body, cmid, file)`,
        [
          rows.map((r) => r.id),
          scopeId,
          rows.map((r) => r.seq),
          rows.map((r) => r.authorId),
          rows.map((r) => r.body),
          rows.map((r) => r.clientMsgId),
          at,
          rows.map((r) => r.fileId),
        ],
      );
      await client.query("COMMIT");
      return answers;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async storeBatches(batches: ScopeBatch[]): Promise<Stored<W>[][]> {
    if (batches.length !== 1) throw new Error("PostgreSQL stores one room per transaction");
    return [await this.storeBatch(batches[0].scopeId, batches[0].messages)];
  }

  async page(scopeId: string, cursor: { beforeSeq?: number; afterSeq?: number }, limit: number): Promise<Page<W>> {
    const newestFirst = cursor.afterSeq === undefined;
    const { rows } = await this.pool.query<Row>(
      `${this.select} AND ${newestFirst ? "m.seq < $2 ORDER BY m.seq DESC" : "m.seq > $2 ORDER BY m.seq ASC"} LIMIT $3`,
      [scopeId, newestFirst ? (cursor.beforeSeq ?? 2_147_483_647) : cursor.afterSeq, limit + 1],
    );
    return toPage(this.scope, scopeId, rows, limit, newestFirst);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

/** The stores of room messages and of private messages, on one connection (pool) per database. */
export interface MessageStores {
  rooms: MessageStore;
  conversations: DirectMessageStore;
  close(): Promise<void>;
}

/**
 * A pool for the message store. An idle connection that fails (PostgreSQL restarted, the
 * connection was killed) is dropped by the pool, which then emits "error": with no listener that
 * would crash the process, so it always has one.
 */
function openPool(databaseUrl: string, onPoolError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  pool.on("error", onPoolError);
  return pool;
}

export interface StoreOptions {
  /** told of a failed idle PostgreSQL connection (already dropped and replaced as needed) */
  onPoolError?: (error: Error) => void;
}

export function openMessageStores(databaseUrl: string, { onPoolError = () => undefined }: StoreOptions = {}): MessageStores {
  if (providerOf(databaseUrl) === "sqlite") {
    const db = openSqlite(sqlitePath(databaseUrl));
    return {
      rooms: new SqliteMessageStore(db, ROOMS, false),
      conversations: new SqliteMessageStore(db, CONVERSATIONS, false),
      close: async () => void db.close(),
    };
  }
  const pool = openPool(databaseUrl, onPoolError);
  return {
    rooms: new PostgresMessageStore(pool, ROOMS, false),
    conversations: new PostgresMessageStore(pool, CONVERSATIONS, false),
    close: () => pool.end(),
  };
}

/** The room message store alone (the benchmark and tests that need nothing else). */
export function openMessageStore(databaseUrl: string, { onPoolError = () => undefined }: StoreOptions = {}): MessageStore {
  return providerOf(databaseUrl) === "sqlite"
    ? new SqliteMessageStore(openSqlite(sqlitePath(databaseUrl)), ROOMS, true)
    : new PostgresMessageStore(openPool(databaseUrl, onPoolError), ROOMS, true);
}
