// The Prisma client, with the driver adapter chosen from DATABASE_URL. Both generated clients
// come from one schema (docs/decisions/002-two-providers.md), so they share one API: the
// PostgreSQL client is typed as the SQLite one.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { providerOf, sqlitePath, type Provider } from "./db/provider.ts";

export type Db = InstanceType<typeof SqliteClient>;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface Database {
  db: Db;
  provider: Provider;
  close(): Promise<void>;
}

export async function openDatabase(databaseUrl: string): Promise<Database> {
  const provider = providerOf(databaseUrl);
  if (provider === "sqlite") {
    const db = new SqliteClient({
      adapter: new PrismaBetterSQLite3({ url: sqlitePath(databaseUrl) }, { timestampFormat: "unixepoch-ms" }),
    });
    // Per-connection settings (WAL itself is set by the migration runner, once per file).
    // synchronous=NORMAL is durable across process crashes in WAL mode; only power loss can
    // drop the last transactions. busy_timeout covers a second process, such as a backup.
    await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
    return { db, provider, close: () => db.$disconnect() };
  }
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) }) as unknown as Db;
  await db.$queryRawUnsafe("SELECT 1");
  return { db, provider, close: () => db.$disconnect() };
}
