// The write path of messages, in plain SQL on the driver (docs/decisions/006-message-write-path.md).
// Prisma costs about 2.7 ms of CPU per single-message transaction and ~200 µs per message even in
// batches of 100; these statements cost a few microseconds per message. So do the reads of every
// room:join and handshake (hot-reads.ts). Everything else stays on Prisma, which also owns the
// schema and the migrations.
import type pg from "pg";
import { startCheckpointer } from "../../db/checkpointer.ts";
import { openPgPool } from "../../db/pg-pool.ts";
import { providerOf, sqlitePath } from "../../db/provider.ts";
import type { AroundPage } from "../../protocol/index.ts";
import { PostgresSearch, type SearchBackend, SqliteSearch } from "../search/backend.ts";
import { type HotReads, PostgresHotReads, SqliteHotReads } from "./hot-reads.ts";
import { PostgresMessageStore } from "./postgres.ts";
import { openSqlite, SqliteMessageStore } from "./sqlite.ts";
import type { DirectMessageStore, MessageStore, ScopedStore } from "./types.ts";
import { CONVERSATIONS, ROOMS } from "./wire.ts";

export type { HotReads, RoomColumns, RoomMemberRow } from "./hot-reads.ts";
export type { DirectMessageStore, MessageStore, ScopeBatch, ScopedStore } from "./types.ts";

/** The stores of room messages and of private messages, on one connection (pool) per database. */
export interface MessageStores {
  rooms: MessageStore;
  conversations: DirectMessageStore;
  /** the search index over both (kept by them, in their transactions) */
  search: SearchBackend;
  /** the reads of every room:join and handshake, on the same connection (pool) */
  reads: HotReads;
  /** Rejects unless the database answers a query now (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** told of a failed idle PostgreSQL connection (already dropped and replaced as needed) */
  onPoolError?: (error: Error) => void;
  /** told of a failed WAL checkpoint on SQLite (the next one tries again) */
  onCheckpointError?: (error: Error) => void;
  /** PostgreSQL: the node's pool, shared with Prisma (db/pg-pool.ts); without it the stores open their own */
  pool?: pg.Pool;
  /** statement and connection timeout on PostgreSQL, how long a write waits for a lock on SQLite (DATABASE_TIMEOUT_MS) */
  timeoutMs?: number;
}

export function openMessageStores(databaseUrl: string, options: StoreOptions = {}): MessageStores {
  if (providerOf(databaseUrl) === "sqlite") {
    const db = openSqlite(sqlitePath(databaseUrl));
    // checkpoints happen on a worker thread, not on the commit that fills the WAL (db/checkpointer.ts)
    db.pragma("wal_autocheckpoint = 0");
    const checkpointer = startCheckpointer(sqlitePath(databaseUrl), {
      onError: (message) => options.onCheckpointError?.(new Error(message)),
      // without the worker, this connection checkpoints as SQLite does by default
      onGone: () => {
        if (db.open) db.pragma("wal_autocheckpoint = 1000");
      },
    });
    return {
      rooms: new SqliteMessageStore(db, ROOMS, false, options.timeoutMs),
      conversations: new SqliteMessageStore(db, CONVERSATIONS, false, options.timeoutMs),
      search: new SqliteSearch(db, options.timeoutMs),
      reads: new SqliteHotReads(db),
      ping: async () => void db.prepare("SELECT 1").get(),
      close: async () => {
        await checkpointer.stop();
        db.close();
      },
    };
  }
  const owned = options.pool === undefined;
  const pool = options.pool ?? openPgPool(databaseUrl, options);
  return {
    rooms: new PostgresMessageStore(pool, ROOMS, false),
    conversations: new PostgresMessageStore(pool, CONVERSATIONS, false),
    search: new PostgresSearch(pool),
    reads: new PostgresHotReads(pool),
    ping: async () => void (await pool.query("SELECT 1")),
    close: async () => {
      if (owned) await pool.end();
    },
  };
}

/** The room message store alone (the benchmark and tests that need nothing else). */
export function openMessageStore(databaseUrl: string, options: StoreOptions = {}): MessageStore {
  return providerOf(databaseUrl) === "sqlite"
    ? new SqliteMessageStore(openSqlite(sqlitePath(databaseUrl)), ROOMS, true, options.timeoutMs)
    : new PostgresMessageStore(openPgPool(databaseUrl, options), ROOMS, true);
}

/** About `limit` messages of a scope around `seq`: half up to and with it, half after it. */
export async function around<W>(store: ScopedStore<W>, scopeId: string, seq: number, limit: number): Promise<AroundPage<W>> {
  const upTo = Math.ceil(limit / 2);
  const [older, newer] = await Promise.all([
    store.page(scopeId, { beforeSeq: seq + 1 }, upTo),
    store.page(scopeId, { afterSeq: seq }, Math.max(1, limit - upTo)),
  ]);
  return { messages: [...older.messages, ...newer.messages], hasMoreBefore: older.hasMore, hasMoreAfter: newer.hasMore };
}
