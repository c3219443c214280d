import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { PRIVATE_DIR, PRIVATE_FILE } from "../files/storage.ts";
import { providerOf, sqlitePath } from "./provider.ts";

/**
 * Makes what Komnata keeps on disk readable by the server's own user only: DATA_DIR 0700 and
 * the SQLite database 0600, UPLOAD_DIR 0700 (so older uploads inside cannot be reached either) (SQLite gives its -wal and -shm files the database's mode). Messages,
 * password hashes and the signing secret live there.
 */
export function protectDataDir(dataDir: string, databaseUrl: string, uploadDir: string): void {
  for (const [name, dir] of [
    ["DATA_DIR", dataDir],
    ["UPLOAD_DIR", uploadDir],
  ]) {
    try {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
      chmodSync(dir, PRIVATE_DIR);
    } catch (error) {
      throw new Error(`${name} (${dir}) is not writable: ${(error as Error).message}`);
    }
  }
  if (providerOf(databaseUrl) !== "sqlite") return;
  const file = sqlitePath(databaseUrl);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE);
}
