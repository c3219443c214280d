// The write path of messages, in plain SQL on the driver (docs/decisions/006-message-write-path.md).
// Prisma costs about 2.7 ms of CPU per single-message transaction and ~200 µs per message even in
// batches of 100; these statements cost a few microseconds per message. Everything else, reads
// included, stays on Prisma, which also owns the schema and the migrations.
import { randomUUID } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePath } from "../db/provider.ts";
import { AppError } from "./errors.ts";
import type { OutgoingMessage, Stored, WireMessage } from "./messages.ts";

export interface MessageStore {
  /**
   * Stores a batch of messages for one room in one transaction and returns them in input order.
   * Sequence numbers are taken by incrementing the room's `lastSeq` inside the transaction (a row
   * lock on PostgreSQL, the single writer on SQLite), so they are gapless and strictly increasing
   * even with several server nodes. A send whose (author, clientMsgId) is already stored, earlier
   * or in this same batch, gets the stored message back instead of a second copy.
   */
  storeRoomBatch(roomId: string, batch: OutgoingMessage[]): Promise<Stored[]>;
  /** storeRoomBatch for several rooms in one transaction (all or nothing). */
  storeBatches(batches: RoomBatch[]): Promise<Stored[][]>;
  /**
   * Up to `limit` messages, oldest first: just before `cursor.beforeSeq`, just after
   * `cursor.afterSeq`, or the newest. `hasMore` says whether more lie beyond them.
   */
  page(roomId: string, cursor: { beforeSeq?: number; afterSeq?: number }, limit: number): Promise<Page>;
  close(): Promise<void>;
}

export interface RoomBatch {
  roomId: string;
  messages: OutgoingMessage[];
}

export interface Page {
  messages: WireMessage[];
  hasMore: boolean;
}

const dedupeKey = (authorId: string, clientMsgId: string) => `${authorId}\u0000${clientMsgId}`;

interface Row {
  id: string;
  seq: number;
  body: string;
  clientMsgId: string;
  createdAt: Date;
  authorId: string;
  username: string;
}

function toWire(roomId: string, row: Row): WireMessage {
  return {
    id: row.id,
    roomId,
    seq: Number(row.seq),
    body: row.body,
    author: { id: row.authorId, username: row.username },
    createdAt: row.createdAt.toISOString(),
    clientMsgId: row.clientMsgId,
  };
}

/** Rows fetched `limit + 1` at a time, nearest the cursor first, as a page in seq order. */
function toPage(roomId: string, rows: Row[], limit: number, newestFirst: boolean): Page {
  const kept = rows.slice(0, limit).map((row) => toWire(roomId, row));
  return { messages: newestFirst ? kept.reverse() : kept, hasMore: rows.length > limit };
}

/** The shared part: which sends are new, their seqs, and the answer for every input. */
function plan(roomId: string, batch: OutgoingMessage[], existing: Row[]) {
  const stored = new Map<string, Stored>();
  for (const row of existing) {
    stored.set(dedupeKey(row.authorId, row.clientMsgId), { message: toWire(roomId, row), created: false });
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
    finish(firstSeq: number): { rows: WireMessage[]; answers: Stored[] } {
      const rows = fresh.map((m, i) => {
        const message: WireMessage = {
          id: randomUUID(),
          roomId,
          seq: firstSeq + i,
          body: m.body,
          author: { id: m.author.id, username: m.author.username },
          createdAt: createdAt.toISOString(),
          clientMsgId: m.clientMsgId,
        };
        stored.set(dedupeKey(m.author.id, m.clientMsgId), { message, created: true });
        return message;
      });
      // A repeat within this batch is answered with the copy stored for its first occurrence.
      const answered = new Set<string>();
      const answers = batch.map((m) => {
        const key = dedupeKey(m.author.id, m.clientMsgId);
        const result = stored.get(key) as Stored;
        const first = !answered.has(key);
        answered.add(key);
        return first ? result : { message: result.message, created: false };
      });
      return { rows, answers };
    },
  };
}

const noSuchRoom = () => new AppError("not_found", "No such room.");

// Prisma keeps DateTime on SQLite as milliseconds since the epoch (server/db.ts).
type SqliteRow = Omit<Row, "createdAt"> & { createdAt: number };
const fromSqlite = (row: SqliteRow): Row => ({ ...row, createdAt: new Date(row.createdAt) });

class SqliteMessageStore implements MessageStore {
  private readonly db: BetterSqlite3.Database;
  private readonly findExisting: BetterSqlite3.Statement;
  private readonly bumpRoom: BetterSqlite3.Statement;
  private readonly insert: BetterSqlite3.Statement;
  private readonly before: BetterSqlite3.Statement;
  private readonly after: BetterSqlite3.Statement;
  private readonly writeOne: (roomId: string, batch: OutgoingMessage[]) => Stored[];
  private readonly writeMany: (batches: RoomBatch[]) => Stored[][];

  constructor(file: string) {
    this.db = new BetterSqlite3(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.findExisting = this.db.prepare(
      `SELECT m.id, m.seq, m.body, m.clientMsgId, m.createdAt, m.authorId, u.username
       FROM "Message" m JOIN "User" u ON u.id = m.authorId
       WHERE m.roomId = ? AND m.authorId = ? AND m.clientMsgId = ?`,
    );
    this.bumpRoom = this.db.prepare(
      `UPDATE "Room" SET lastSeq = lastSeq + ?, lastMessageAt = ?, activityAt = ? WHERE id = ? RETURNING lastSeq`,
    );
    this.insert = this.db.prepare(
      `INSERT INTO "Message" (id, roomId, seq, authorId, body, clientMsgId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const select = `SELECT m.id, m.seq, m.body, m.clientMsgId, m.createdAt, m.authorId, u.username
       FROM "Message" m JOIN "User" u ON u.id = m.authorId WHERE m.roomId = ?`;
    this.before = this.db.prepare(`${select} AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`);
    this.after = this.db.prepare(`${select} AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`);
    const insertRoomBatch = (roomId: string, batch: OutgoingMessage[]): Stored[] => {
      const existing: Row[] = [];
      for (const m of batch) {
        const row = this.findExisting.get(roomId, m.author.id, m.clientMsgId) as SqliteRow | undefined;
        if (row) existing.push(fromSqlite(row));
      }
      const p = plan(roomId, batch, existing);
      if (p.fresh.length === 0) return p.finish(0).answers;
      const at = p.createdAt.getTime();
      const bumped = this.bumpRoom.get(p.fresh.length, at, at, roomId) as { lastSeq: number } | undefined;
      if (!bumped) throw noSuchRoom();
      const { rows, answers } = p.finish(bumped.lastSeq - p.fresh.length + 1);
      for (const r of rows) this.insert.run(r.id, roomId, r.seq, r.author.id, r.body, r.clientMsgId, at);
      return answers;
    };
    this.writeOne = this.db.transaction(insertRoomBatch);
    this.writeMany = this.db.transaction((batches: RoomBatch[]) => batches.map((b) => insertRoomBatch(b.roomId, b.messages)));
  }

  async storeRoomBatch(roomId: string, batch: OutgoingMessage[]): Promise<Stored[]> {
    return this.writeOne(roomId, batch);
  }

  async storeBatches(batches: RoomBatch[]): Promise<Stored[][]> {
    return this.writeMany(batches);
  }

  async page(roomId: string, cursor: { beforeSeq?: number; afterSeq?: number }, limit: number): Promise<Page> {
    const newestFirst = cursor.afterSeq === undefined;
    const rows = newestFirst
      ? (this.before.all(roomId, cursor.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1) as SqliteRow[])
      : (this.after.all(roomId, cursor.afterSeq, limit + 1) as SqliteRow[]);
    return toPage(roomId, rows.map(fromSqlite), limit, newestFirst);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

class PostgresMessageStore implements MessageStore {
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 8 });
  }

  async storeRoomBatch(roomId: string, batch: OutgoingMessage[]): Promise<Stored[]> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows: existing } = await client.query<Row>(
        `SELECT m.id, m.seq, m.body, m."clientMsgId", m."createdAt" AT TIME ZONE 'UTC' AS "createdAt", m."authorId", u.username
         FROM "Message" m JOIN "User" u ON u.id = m."authorId"
         WHERE m."roomId" = $1 AND m."clientMsgId" = ANY($2::text[])`,
        [roomId, [...new Set(batch.map((m) => m.clientMsgId))]],
      );
      // rows of other authors with the same clientMsgId are keyed apart and never match
      const p = plan(roomId, batch, existing);
      if (p.fresh.length === 0) {
        await client.query("COMMIT");
        return p.finish(0).answers;
      }
      // Prisma keeps DateTime on PostgreSQL as UTC in `timestamp(3)` columns.
      const at = p.createdAt.toISOString();
      const bumped = await client.query<{ lastSeq: number }>(
        `UPDATE "Room" SET "lastSeq" = "lastSeq" + $1, "lastMessageAt" = ($2::timestamptz AT TIME ZONE 'UTC'),
           "activityAt" = ($2::timestamptz AT TIME ZONE 'UTC') WHERE id = $3 RETURNING "lastSeq"`,
        [p.fresh.length, at, roomId],
      );
      if (bumped.rowCount === 0) throw noSuchRoom();
      const { rows, answers } = p.finish(bumped.rows[0].lastSeq - p.fresh.length + 1);
      await client.query(
        `INSERT INTO "Message" (id, "roomId", seq, "authorId", body, "clientMsgId", "createdAt")
         SELECT id, $2, seq, author, body, cmid, ($7::timestamptz AT TIME ZONE 'UTC')
         FROM unnest($1::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS t(id, seq, author, body, cmid)`,
        [
          rows.map((r) => r.id),
          roomId,
          rows.map((r) => r.seq),
          rows.map((r) => r.author.id),
          rows.map((r) => r.body),
          rows.map((r) => r.clientMsgId),
          at,
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

  async storeBatches(batches: RoomBatch[]): Promise<Stored[][]> {
    if (batches.length !== 1) throw new Error("PostgreSQL stores one room per transaction");
    return [await this.storeRoomBatch(batches[0].roomId, batches[0].messages)];
  }

  async page(roomId: string, cursor: { beforeSeq?: number; afterSeq?: number }, limit: number): Promise<Page> {
    const newestFirst = cursor.afterSeq === undefined;
    const { rows } = await this.pool.query<Row>(
      `SELECT m.id, m.seq, m.body, m."clientMsgId", m."createdAt" AT TIME ZONE 'UTC' AS "createdAt", m."authorId", u.username
       FROM "Message" m JOIN "User" u ON u.id = m."authorId"
       WHERE m."roomId" = $1 AND ${newestFirst ? "m.seq < $2 ORDER BY m.seq DESC" : "m.seq > $2 ORDER BY m.seq ASC"} LIMIT $3`,
      [roomId, newestFirst ? (cursor.beforeSeq ?? 2_147_483_647) : cursor.afterSeq, limit + 1],
    );
    return toPage(roomId, rows, limit, newestFirst);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openMessageStore(databaseUrl: string): MessageStore {
  return providerOf(databaseUrl) === "sqlite"
    ? new SqliteMessageStore(sqlitePath(databaseUrl))
    : new PostgresMessageStore(databaseUrl);
}
