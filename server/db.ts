// The Prisma client, with the driver adapter chosen from DATABASE_URL. Both generated clients
// come from one schema (docs/decisions/002-two-providers.md), so they share one API: the
// PostgreSQL client is typed as the SQLite one.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { type Provider, providerOf, sqlitePath } from "./db/provider.ts";
import { SQLITE_PRAGMAS } from "./db/sqlite.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";

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
    for (const pragma of SQLITE_PRAGMAS) await db.$queryRawUnsafe(`PRAGMA ${pragma}`);
    return { db, provider, close: () => db.$disconnect() };
  }
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) }) as unknown as Db;
  await db.$queryRawUnsafe("SELECT 1");
  return { db, provider, close: () => db.$disconnect() };
}
