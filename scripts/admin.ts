// `npm run admin -- <command>`: recovery and housekeeping for whoever has shell access, against
// the database the server uses (configured from the same environment: DATA_DIR, DATABASE_URL,
// UPLOAD_DIR, NEXTAUTH_URL). Safe while the server runs, on SQLite and PostgreSQL: what it changes
// holds on the running nodes at once (a sign-up reads the registration mode; every request checks
// its session; connections of a signed-out account close within a second,
// server/realtime/revocation-watch.ts). docs/deploy.md, "Recovery from the shell".
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type Db, openDatabase } from "../server/db.ts";
import { loadConfig } from "../server/env.ts";
import { LocalDiskStorage } from "../server/files/storage.ts";
import { password as passwordField } from "../server/protocol/fields.ts";
import { REGISTRATION_MODES, type RegistrationMode } from "../server/protocol/index.ts";
import { FROM_THE_SHELL, issueResetLink } from "../server/services/accounts.ts";
import { AdminService } from "../server/services/admin.ts";
import { AppError } from "../server/services/errors.ts";
import { importSlack } from "../server/services/integrations/slack-import.ts";
import { openMessageStores } from "../server/services/message-store/index.ts";
import { backfill } from "../server/services/search/backend.ts";
import { ServerSettingsService } from "../server/services/server-settings.ts";
import { SessionService } from "../server/services/sessions.ts";
import { UserService } from "../server/services/users.ts";

const USAGE = `Usage: npm run admin -- <command>

  list-users                       every account: name, admin, deactivated, created
  reset-password USER              print a one-time link (24 h) to choose a new password
  reset-password USER --stdin      set the password read from stdin; signs USER out everywhere
  make-admin USER                  make USER a server admin
  deactivate USER                  USER cannot sign in; signed out everywhere at once
  reactivate USER                  USER can sign in again
  set-registration MODE            who may sign up: open | invite-only | closed
  stats                            users, rooms, messages, and the disk used by files
  import-slack PATH.zip            a Slack export's channels become rooms, with their history`;

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // one trailing newline (what `echo` and a typed line end with) is not part of the password
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Bytes in files under `dir` (what the shared files take on disk). */
function diskUsed(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const stat = statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat?.isDirectory()) total += diskUsed(path.join(dir, name));
    else if (stat?.isFile()) total += stat.size;
  }
  return total;
}

/** An ISO time to the minute, as a person reads it: "2026-11-29 18:46". */
const minute = (iso: string) => iso.slice(0, 16).replace("T", " ");

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function run(args: string[]): Promise<void> {
  const [command, target, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  const needsUser = ["reset-password", "make-admin", "deactivate", "reactivate"].includes(command);
  if (needsUser && !target) throw new UsageError(`${command} needs a username.`);
  if (command === "import-slack" && !target) throw new UsageError("import-slack needs the path of the export's zip.");
  if (!needsUser && !["list-users", "set-registration", "stats", "import-slack"].includes(command)) {
    throw new UsageError(`Unknown command "${command}".`);
  }

  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl, config.databaseTimeoutMs);
  const stores = openMessageStores(config.databaseUrl, { timeoutMs: config.databaseTimeoutMs });
  const db: Db = database.db;
  try {
    // this process holds no connections: the running nodes close theirs (revocation-watch.ts)
    const sessions = new SessionService(db, { endSessions: () => undefined }, stores.reads);
    const users = new UserService(db, { login: config.login, registerMaxPerHour: config.registerMaxPerHour });
    const admin = new AdminService(db, sessions, users);
    const userId = needsUser ? (await users.findByUsername(target)).id : "";

    switch (command) {
      case "list-users": {
        const rows = await admin.users(undefined);
        console.log(
          table([
            ["USER", "ADMIN", "DEACTIVATED", "CREATED"],
            ...rows.map((u) => [
              u.username,
              u.isAdmin ? "yes" : "-",
              u.deactivatedAt ? minute(u.deactivatedAt) : "-",
              u.createdAt.slice(0, 10),
            ]),
          ]),
        );
        console.log(`${rows.length} account${rows.length === 1 ? "" : "s"}`);
        return;
      }
      case "reset-password": {
        if (rest.includes("--stdin")) {
          const parsed = passwordField.safeParse(await readStdin());
          if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "Not a valid password.");
          await users.setPassword(userId, parsed.data);
          await sessions.revokeAll(userId);
          console.log(`Password of ${target} set; signed out everywhere.`);
          return;
        }
        const link = await issueResetLink(db, config.publicUrl, FROM_THE_SHELL, userId);
        console.log(`One-time link for ${target} (until ${minute(link.expiresAt)} UTC):`);
        console.log(link.url);
        return;
      }
      case "make-admin":
        await admin.setAdmin(userId, true);
        console.log(`${target} is a server admin.`);
        return;
      case "deactivate":
        await admin.setActive(null, userId, false);
        console.log(`${target} is deactivated and signed out everywhere.`);
        return;
      case "reactivate":
        await admin.setActive(null, userId, true);
        console.log(`${target} can sign in again.`);
        return;
      case "set-registration": {
        const mode = target as RegistrationMode;
        if (!REGISTRATION_MODES.includes(mode)) throw new UsageError(`The mode is one of: ${REGISTRATION_MODES.join(", ")}.`);
        await new ServerSettingsService(db, config.maxUploadBytes).change({ registration: mode });
        console.log(`Registration is ${mode}.`);
        return;
      }
      case "import-slack": {
        const storage = new LocalDiskStorage(config.uploadDir);
        await storage.check();
        const report = await importSlack(path.resolve(target), { db, storage, log: (line) => console.log(line) });
        // the imported messages are found by search from now on (the running server indexes what is folded)
        await backfill(stores.search, () => false);
        await stores.search.flush();
        const total = report.rooms.reduce((n, r) => n + r.messages, 0);
        console.log(
          `Imported ${report.rooms.length} channel${report.rooms.length === 1 ? "" : "s"}, ${total} messages; ` +
            `${report.matched} people matched by name, ${report.created} accounts made (deactivated: reactivate them to let them in).`,
        );
        return;
      }
      case "stats": {
        const [people, active, admins, rooms, archived, messages, conversations, directMessages, files] = await Promise.all([
          db.user.count(),
          db.user.count({ where: { deactivatedAt: null } }),
          db.user.count({ where: { isAdmin: true } }),
          db.room.count(),
          db.room.count({ where: { archivedAt: { not: null } } }),
          db.message.count({ where: { deletedAt: null } }),
          db.conversation.count(),
          db.directMessage.count({ where: { deletedAt: null } }),
          db.file.aggregate({ where: { removedAt: null }, _count: { _all: true }, _sum: { size: true } }),
        ]);
        console.log(
          table([
            ["users", `${people} (${active} active, ${admins} admin${admins === 1 ? "" : "s"})`],
            ["rooms", `${rooms} (${archived} archived)`],
            ["messages", `${messages} in rooms, ${directMessages} private in ${conversations} conversations`],
            ["files", `${files._count._all} shared, ${mib(files._sum.size ?? 0)}`],
            ["disk", `${mib(diskUsed(config.uploadDir))} in ${config.uploadDir}`],
          ]),
        );
        return;
      }
    }
  } finally {
    await stores.close();
    await database.close();
  }
}

try {
  await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`komnata admin: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const message =
    error instanceof AppError
      ? error.message
      : /does not exist|no such table/i.test(String(error))
        ? "The database has no Komnata tables yet: start the server once (npm start) to create them."
        : String(error instanceof Error ? error.message : error);
  console.error(`komnata admin: ${message}`);
  process.exit(1);
}
