// `npm run backup -- PATH` and `npm run restore -- PATH`: a consistent copy of everything
// Komnata keeps, taken while it runs, and brought back onto an empty DATA_DIR (docs in README,
// "Backups"). Configured like the server, from the same environment (DATA_DIR, DATABASE_URL,
// UPLOAD_DIR).
//
// The database is copied first (SQLite's online backup API, or pg_dump: each a snapshot of one
// moment), the shared files after it: a file's bytes are stored before the row that lists it, so
// every file in the snapshot is in the copy. (A file shared after the snapshot may be copied too;
// nothing lists it, and it is harmless.)
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { providerOf, sqlitePath } from "../server/db/provider.ts";
import { type Config, loadConfig } from "../server/env.ts";

const DB_FILE = "komnata.db";
const PG_DUMP = "komnata.pgdump";

interface Manifest {
  format: 1;
  createdAt: string;
  provider: "sqlite" | "postgresql";
  files: number;
}

const isEmptyDir = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;
const fail = (message: string): never => {
  console.error(`komnata: ${message}`);
  process.exit(1);
};

/** Copies the shared files (not uploads in progress); returns how many. */
function copyUploads(from: string, to: string): number {
  if (!existsSync(from)) return 0;
  cpSync(from, to, { recursive: true, filter: (source) => path.basename(source) !== ".staging" });
  return readdirSync(to, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

export async function backup(config: Config, target: string): Promise<Manifest> {
  if (!isEmptyDir(target)) fail(`${target} is not empty: back up into a new folder`);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const provider = providerOf(config.databaseUrl);
  if (provider === "sqlite") {
    const db = new Database(sqlitePath(config.databaseUrl), { readonly: true });
    try {
      await db.backup(path.join(target, DB_FILE));
    } finally {
      db.close();
    }
  } else {
    execFileSync("pg_dump", ["--format=custom", "--no-owner", `--file=${path.join(target, PG_DUMP)}`, config.databaseUrl], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  const files = copyUploads(config.uploadDir, path.join(target, "uploads"));
  const secret = path.join(config.dataDir, "secret");
  if (existsSync(secret)) cpSync(secret, path.join(target, "secret"));
  const manifest: Manifest = { format: 1, createdAt: new Date().toISOString(), provider, files };
  writeFileSync(path.join(target, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function restore(config: Config, source: string): Manifest {
  const manifestFile = path.join(source, "manifest.json");
  if (!existsSync(manifestFile)) fail(`${source} is not a Komnata backup (no manifest.json)`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  const provider = providerOf(config.databaseUrl);
  if (manifest.provider !== provider) fail(`the backup is of ${manifest.provider}; DATABASE_URL is ${provider}`);
  if (!isEmptyDir(config.uploadDir)) fail(`UPLOAD_DIR (${config.uploadDir}) is not empty: restore onto an empty one`);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if (provider === "sqlite") {
    const file = sqlitePath(config.databaseUrl);
    if (existsSync(file)) fail(`${file} exists: restore onto an empty DATA_DIR`);
    cpSync(path.join(source, DB_FILE), file);
    chmodSync(file, 0o600);
  } else {
    const tables = execFileSync(
      "psql",
      ["-At", "-c", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", config.databaseUrl],
      {
        encoding: "utf8",
      },
    );
    if (Number(tables.trim()) > 0) fail("the database is not empty: restore into an empty one");
    execFileSync("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${config.databaseUrl}`, path.join(source, PG_DUMP)], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  if (existsSync(path.join(source, "uploads"))) copyUploads(path.join(source, "uploads"), config.uploadDir);
  // the backup's signing secret, so sessions and tokens go on working (unless NEXTAUTH_SECRET is set)
  const secret = path.join(config.dataDir, "secret");
  if (existsSync(path.join(source, "secret")) && !process.env.NEXTAUTH_SECRET) {
    cpSync(path.join(source, "secret"), secret);
    chmodSync(secret, 0o600);
  }
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [command, where] = process.argv.slice(2);
  if ((command !== "backup" && command !== "restore") || !where) {
    console.error("usage: npm run backup -- PATH | npm run restore -- PATH");
    process.exit(2);
  }
  const config = loadConfig();
  const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), where);
  if (command === "backup") {
    const m = await backup(config, target);
    console.log(`Backed up the ${m.provider} database and ${m.files} shared files to ${target}`);
  } else {
    const m = restore(config, target);
    console.log(`Restored the backup of ${m.createdAt} (${m.provider}, ${m.files} shared files) into ${config.dataDir}`);
  }
}
