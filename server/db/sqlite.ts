// Settings every SQLite connection needs, whichever library opens it (Prisma's adapter, the
// message store's better-sqlite3 handle, the benchmark). WAL is not among them: it is a property
// of the file, set once by the migration runner.
// synchronous=NORMAL is durable across process crashes in WAL mode (only power loss can drop the
// last transactions). busy_timeout is short on purpose: SQLite waits with the event loop blocked,
// so a lock held by another process (a backup) is waited out asynchronously instead
// (server/db/busy.ts). Foreign keys are off by default in SQLite and on in PostgreSQL, so both
// providers refuse the same writes.
export const SQLITE_PRAGMAS = ["synchronous = NORMAL", "busy_timeout = 20", "foreign_keys = ON", "cache_size = -32000"] as const;
