// Each test file gets its own database: a SQLite file in a temp dir, or, with
// KOMNATA_TEST_DB=postgres, a fresh PostgreSQL database on 127.0.0.1:5432 dropped afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface TestDatabase {
  url: string;
  dir: string;
  drop(): Promise<void>;
}

const PG_ADMIN_URL = process.env.KOMNATA_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export const usingPostgres = process.env.KOMNATA_TEST_DB === "postgres";

export async function createTestDatabase(
  provider: "sqlite" | "postgres" = usingPostgres ? "postgres" : "sqlite",
): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "komnata-test-"));
  if (provider === "sqlite") {
    return { url: `file:${path.join(dir, "test.db")}`, dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `komnata_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dir,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
