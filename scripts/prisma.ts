// Prisma tasks that must work offline (docs/decisions/001-prisma-6-offline.md).
//   tsx scripts/prisma.ts generate          write prisma/postgres/schema.prisma, generate both clients
//   tsx scripts/prisma.ts check             fail if the PostgreSQL schema or migrations drifted
//   tsx scripts/prisma.ts migration NAME    author a migration for both providers
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrationsDir, runMigrations } from "../server/db/migrate.ts";

const root = path.resolve(import.meta.dirname, "..");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const postgresSchema = path.join(root, "prisma", "postgres", "schema.prisma");

// With engine "js" the native engines are never executed, but the CLI still looks for them
// and would try to download them: point it at any existing file instead.
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: path.join(root, "package.json"),
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "package.json"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

function prisma(args: string[]): string {
  return execFileSync(path.join(root, "node_modules", ".bin", "prisma"), args, {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

function postgresSchemaText(): string {
  const source = readFileSync(sqliteSchema, "utf8");
  const replaced = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost/komnata"')
    .replace('"../server/generated/sqlite"', '"../../server/generated/postgres"');
  return `// GENERATED from prisma/schema.prisma by \`npm run db:generate\`: edit that file instead.\n${replaced}`;
}

function generate(): void {
  mkdirSync(path.dirname(postgresSchema), { recursive: true });
  writeFileSync(postgresSchema, postgresSchemaText());
  mkdirSync(path.join(root, "data"), { recursive: true });
  prisma(["generate", "--schema", sqliteSchema]);
  prisma(["generate", "--schema", postgresSchema]);
}

function migrationNames(provider: "sqlite" | "postgresql"): string[] {
  const dir = migrationsDir(provider);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => /^\d{14}_/.test(n))
        .sort()
    : [];
}

function check(): void {
  const problems: string[] = [];
  if (!existsSync(postgresSchema) || readFileSync(postgresSchema, "utf8") !== postgresSchemaText()) {
    problems.push("prisma/postgres/schema.prisma is stale: run `npm run db:generate`");
  }
  const a = migrationNames("sqlite").join(",");
  const b = migrationNames("postgresql").join(",");
  if (a !== b) problems.push(`migrations differ between providers:\n  sqlite:   ${a}\n  postgres: ${b}`);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
}

function diffScript(fromArgs: string[], schema: string): string {
  return prisma(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", schema, "--script"]);
}

async function migration(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lower-case letters, digits and _");
  generate();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dirName = `${stamp}_${name}`;

  // SQLite: diff the schema against a scratch database migrated to the previous state
  // (`migrate dev` needs a shadow database, which the Wasm engine cannot make).
  const scratch = path.join(mkdtempSync(path.join(tmpdir(), "komnata-migration-")), "scratch.db");
  await runMigrations(`file:${scratch}`);
  const sqliteSql = diffScript(["--from-url", `file:${scratch}`], sqliteSchema);

  // PostgreSQL: diff the previous schema (as the last migration left it) against the new one,
  // without touching a server: replay the SQLite history into a datamodel is not possible, so
  // the previous PostgreSQL datamodel is kept beside the migrations.
  const snapshot = path.join(migrationsDir("postgresql"), "schema.snapshot.prisma");
  const pgSql = existsSync(snapshot)
    ? diffScript(["--from-schema-datamodel", snapshot], postgresSchema)
    : diffScript(["--from-empty"], postgresSchema);

  if (!sqliteSql.trim() || sqliteSql.includes("empty migration")) {
    console.log("schema has no changes: no migration written");
    return;
  }
  for (const [provider, sql] of [
    ["sqlite", sqliteSql],
    ["postgresql", pgSql],
  ] as const) {
    const dir = path.join(migrationsDir(provider), dirName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
  }
  writeFileSync(snapshot, readFileSync(postgresSchema, "utf8"));
  console.log(`wrote prisma/migrations/${dirName} and prisma/postgres/migrations/${dirName}`);
}

const [command, arg] = process.argv.slice(2);
if (command === "generate") generate();
else if (command === "check") check();
else if (command === "migration" && arg) await migration(arg);
else {
  console.error("usage: tsx scripts/prisma.ts generate | check | migration NAME");
  process.exit(2);
}
