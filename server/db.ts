// The Prisma client, with the driver adapter chosen from DATABASE_URL. Both generated clients
// come from one schema (docs/decisions/002-two-providers.md), so they share one API: the
// PostgreSQL client is typed as the SQLite one.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { whileBusyRetry } from "./db/busy.ts";
import { type Provider, providerOf, sqlitePath } from "./db/provider.ts";
import { SQLITE_PRAGMAS } from "./db/sqlite.ts";
import { DEFAULT_DATABASE_TIMEOUT_MS, pgTimeouts } from "./db/timeouts.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";

export type Db = InstanceType<typeof SqliteClient>;

export interface Database {
  db: Db;
  provider: Provider;
  close(): Promise<void>;
}

/** `pool`: on PostgreSQL, the node's pool to share (db/pg-pool.ts); it stays open when this closes. */
export async function openDatabase(
  databaseUrl: string,
  timeoutMs = DEFAULT_DATABASE_TIMEOUT_MS,
  pool?: pg.Pool,
): Promise<Database> {
  const provider = providerOf(databaseUrl);
  if (provider === "sqlite") {
    const client = new SqliteClient({
      adapter: new PrismaBetterSQLite3({ url: sqlitePath(databaseUrl) }, { timestampFormat: "unixepoch-ms" }),
    });
    for (const pragma of SQLITE_PRAGMAS) await client.$queryRawUnsafe(`PRAGMA ${pragma}`);
    // every query waits out another process's write lock without blocking the event loop
    const db = client.$extends({
      query: { $allOperations: ({ args, query }) => whileBusyRetry(() => query(args), timeoutMs) },
    }) as unknown as Db;
    return { db, provider, close: () => client.$disconnect() };
  }
  const db = new PostgresClient({
    adapter: new PrismaPg(pool ?? { connectionString: databaseUrl, max: 10, ...pgTimeouts(timeoutMs) }),
  }) as unknown as Db;
  await db.$queryRawUnsafe("SELECT 1");
  return { db, provider, close: () => db.$disconnect() };
}
