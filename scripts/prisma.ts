// Prisma tasks that must work offline (docs/decisions/001-prisma-6-offline.md).
//   tsx scripts/prisma.ts generate          write prisma/postgres/schema.prisma, generate both clients
//   tsx scripts/prisma.ts check             fail if the PostgreSQL schema or migrations drifted
//   tsx scripts/prisma.ts migration NAME    author a migration for both providers
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrationsDir } from "../server/db/migrate.ts";

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

/** `text` with `from` replaced by `to`, exactly once; throws when `from` is not there (the schema changed shape). */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + from.length) !== -1) {
    throw new Error(`prisma/schema.prisma must contain ${JSON.stringify(from)} exactly once to derive the PostgreSQL schema`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function postgresSchemaText(): string {
  let replaced = readFileSync(sqliteSchema, "utf8");
  for (const [from, to] of [
    ['provider = "sqlite"', 'provider = "postgresql"'],
    ['url      = "file:./dev.db"', 'url      = "postgresql://localhost/komnata"'],
    ['"../server/generated/sqlite"', '"../../server/generated/postgres"'],
  ]) {
    replaced = replaceOnce(replaced, from, to);
  }
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
  for (const [provider, schema] of [
    ["sqlite", sqliteSchema],
    ["postgresql", postgresSchema],
  ] as const) {
    const snapshot = snapshotOf(provider);
    if (!existsSync(snapshot) || readFileSync(snapshot, "utf8") !== readFileSync(schema, "utf8")) {
      problems.push(`${path.relative(root, schema)} has changes no migration covers: run \`npm run db:migration -- NAME\``);
    }
  }
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
}

function diffScript(fromArgs: string[], schema: string): string {
  return prisma(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", schema, "--script"]);
}

/** The datamodel the newest migration leads to, kept beside each provider's migrations. */
const snapshotOf = (provider: "sqlite" | "postgresql") => path.join(migrationsDir(provider), "schema.snapshot.prisma");

function migration(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lower-case letters, digits and _");
  generate();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dirName = `${stamp}_${name}`;
  // `migrate dev` needs a shadow database, which the Wasm engine cannot make, and `--from-url`
  // is refused with a driver adapter: diff the datamodel the last migration led to (its
  // snapshot) against the new one, for each provider, without touching a database.
  const plan = (["sqlite", "postgresql"] as const).map((provider) => {
    const schema = provider === "sqlite" ? sqliteSchema : postgresSchema;
    const snapshot = snapshotOf(provider);
    const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
    return { provider, schema, snapshot, sql: diffScript(from, schema) };
  });
  if (plan.every((p) => !p.sql.trim() || p.sql.includes("empty migration"))) {
    console.log("schema has no changes: no migration written");
    return;
  }
  for (const { provider, schema, snapshot, sql } of plan) {
    const dir = path.join(migrationsDir(provider), dirName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    writeFileSync(snapshot, readFileSync(schema, "utf8"));
  }
  console.log(`wrote prisma/migrations/${dirName} and prisma/postgres/migrations/${dirName}: review both`);
}

function main(): void {
  const [command, arg] = process.argv.slice(2);
  if (command === "generate") generate();
  else if (command === "check") check();
  else if (command === "migration" && arg) migration(arg);
  else {
    console.error("usage: tsx scripts/prisma.ts generate | check | migration NAME");
    process.exit(2);
  }
}

// run as a command (npm run db:*), not when a test imports replaceOnce
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
