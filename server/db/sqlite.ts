// Settings every SQLite connection needs, whichever library opens it (Prisma's adapter, the
// message store's better-sqlite3 handle, the benchmark). WAL is not among them: it is a property
// of the file, set once by the migration runner.
// synchronous=NORMAL is durable across process crashes in WAL mode (only power loss can drop the
// last transactions). busy_timeout is short on purpose: SQLite waits with the event loop blocked,
// so a lock held by another process (a backup) is waited out asynchronously instead
// (server/db/busy.ts). Foreign keys are off by default in SQLite and on in PostgreSQL, so both
// providers refuse the same writes.
import type { Statement } from "better-sqlite3";

export const SQLITE_PRAGMAS = ["synchronous = NORMAL", "busy_timeout = 20", "foreign_keys = ON", "cache_size = -32000"] as const;

/**
 * A prepared statement's `all`, answering plain objects built here from rows read as arrays.
 * better-sqlite3 builds each row object through V8's C++ API one property at a time, which on a
 * page of messages (31 columns, 51 rows) cost twice what the query and the arrays do (measured:
 * about 0.9 ms against 0.45 for the same page). Each row is built by one object literal with the
 * statement's columns (compiled once per statement): its properties are laid out at once, in the
 * object itself, where adding them one by one grew and copied a property store per row.
 */
export function allAsObjects<R>(statement: Statement): (...params: unknown[]) => R[] {
  // the names are our own SQL's columns; JSON.stringify quotes each as a property name
  const fields = statement.columns().map((c, i) => `${JSON.stringify(c.name)}: v[${i}]`);
  const build = new Function("v", `return { ${fields.join(", ")} };`) as (values: unknown[]) => R;
  statement.raw(true);
  return (...params) => (statement.all(...params) as unknown[][]).map(build);
}
