// Settings every SQLite connection needs, whichever library opens it (Prisma's adapter, the
// message store's better-sqlite3 handle, the benchmark). WAL is not among them: it is a property
// of the file, set once by the migration runner.
// synchronous=NORMAL is durable across process crashes in WAL mode (only power loss can drop the
// last transactions); busy_timeout covers a second process, such as a backup; foreign keys are
// off by default in SQLite and on in PostgreSQL, so both providers refuse the same writes.
export const SQLITE_PRAGMAS = ["synchronous = NORMAL", "busy_timeout = 5000", "foreign_keys = ON"] as const;
