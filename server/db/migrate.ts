// Applies prisma/migrations/*/migration.sql (SQLite) or prisma/postgres/migrations/*/migration.sql
// in order and records them in Prisma's own `_prisma_migrations` table, so the history stays
// readable by Prisma tools. Why not `prisma migrate deploy`: docs/decisions/003-migration-runner.md.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { type Provider, providerOf, sqlitePath } from "./provider.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

export function migrationsDir(provider: Provider): string {
  return provider === "sqlite" ? path.join(root, "prisma", "migrations") : path.join(root, "prisma", "postgres", "migrations");
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(provider: Provider): Migration[] {
  const dir = migrationsDir(provider);
  return readdirSync(dir)
    .filter((name) => /^\d{14}_/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Raised when the database has migrations this version does not know: a newer Komnata upgraded it. */
export class NewerDatabaseError extends Error {}

/**
 * Refuses a database that a newer Komnata has migrated (a downgrade): this version would misread
 * what the newer one wrote. `known` are every migration this version ships.
 */
function assertNotNewer(applied: Map<string, string>, known: Migration[]): void {
  const names = new Set(known.map((m) => m.name));
  const unknown = [...applied.keys()].filter((name) => !names.has(name)).sort();
  if (unknown.length === 0) return;
  throw new NewerDatabaseError(
    `This database was upgraded by a newer Komnata: it has migration ${unknown.at(-1)}, and this version's newest is ` +
      `${known.at(-1)?.name ?? "none"}. Run the newer version, or restore the backup taken before the upgrade ` +
      `(docs/deploy.md, "Upgrading").`,
  );
}

/** A migration's failure, named: the server's start-up log says which one and why. */
function failed(m: Migration, error: unknown): Error {
  const why = error instanceof Error ? error.message : String(error);
  return new Error(`migration ${m.name} failed and was rolled back: ${why}`, { cause: error });
}

function runStep(m: Migration, step: () => void): void {
  try {
    step();
  } catch (error) {
    throw failed(m, error);
  }
}

function assertUnchanged(applied: Map<string, string>, migrations: Migration[]): void {
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new Error(`migration ${m.name} was edited after it was applied: write a new migration instead`);
    }
  }
}

export interface MigrateOptions {
  /** stop after the migration of this name (the upgrade tests walk the history step by step) */
  upTo?: string;
  /** told of each migration once it is applied (the server logs a line for each) */
  onApplied?: (name: string) => void;
}

/**
 * Brings the database at `databaseUrl` up to date (or up to `upTo`); returns the names it
 * applied. Throws NewerDatabaseError, and changes nothing, if a newer Komnata migrated it.
 */
export async function runMigrations(
  databaseUrl: string,
  { upTo, onApplied = () => undefined }: MigrateOptions = {},
): Promise<string[]> {
  const provider = providerOf(databaseUrl);
  const known = readMigrations(provider);
  const plan = { known, wanted: known.filter((m) => upTo === undefined || m.name <= upTo), onApplied };
  return provider === "sqlite" ? migrateSqlite(databaseUrl, plan) : migratePostgres(databaseUrl, plan);
}

interface Plan {
  known: Migration[];
  wanted: Migration[];
  onApplied: (name: string) => void;
}

function migrateSqlite(databaseUrl: string, { known, wanted: migrations, onApplied }: Plan): string[] {
  const file = sqlitePath(databaseUrl);
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    // WAL is a property of the file: set once here, it holds for every later connection.
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const rows = db
      .prepare(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
      .all() as { migration_name: string; checksum: string }[];
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    assertNotNewer(applied, known);
    assertUnchanged(applied, migrations);
    const done: string[] = [];
    // SQLite changes a column by copying its table to a new one and dropping the old. With
    // foreign keys enforced (better-sqlite3's default) that DROP would delete every row that
    // refers to the old table, through ON DELETE CASCADE (a room's members and messages), and the
    // migrations' own `PRAGMA foreign_keys=OFF` does nothing inside a transaction. So they are
    // off while migrating, and every reference is checked before each migration commits.
    db.pragma("foreign_keys = OFF");
    try {
      for (const m of migrations.filter((m) => !applied.has(m.name))) {
        db.transaction(() => {
          runStep(m, () => db.exec(m.sql));
          const broken = db.pragma("foreign_key_check") as { table: string; parent: string }[];
          if (broken.length > 0) {
            const where = broken.slice(0, 5).map((b) => `${b.table} → ${b.parent}`);
            throw new Error(`migration ${m.name} would leave ${broken.length} broken references (${where.join(", ")})`);
          }
          db.prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
          ).run(randomUUID(), m.checksum, m.name);
        })();
        done.push(m.name);
        onApplied(m.name);
      }
    } finally {
      db.pragma("foreign_keys = ON");
    }
    return done;
  } finally {
    db.close();
  }
}

// Any constant: every node that starts at once waits for the first to finish migrating.
const MIGRATION_LOCK_KEY = 727_001;

async function migratePostgres(databaseUrl: string, { known, wanted: migrations, onApplied }: Plan): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    assertNotNewer(applied, known);
    assertUnchanged(applied, migrations);
    const done: string[] = [];
    for (const m of migrations.filter((m) => !applied.has(m.name))) {
      // PostgreSQL DDL is transactional: a failing migration leaves nothing half-applied.
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw failed(m, error);
      }
      done.push(m.name);
      onApplied(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
