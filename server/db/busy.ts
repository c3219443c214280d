// SQLite has one writer. A second process that holds the write lock (a backup, the sqlite3 shell)
// makes writes wait; better-sqlite3 is synchronous, so a long busy_timeout would wait with the
// event loop blocked, freezing every connection. Instead SQLite gives up almost at once (a 20 ms
// busy_timeout, server/db/sqlite.ts) and the write is retried here, asynchronously, with backoff,
// while the server keeps answering everyone else. When the lock outlasts the budget, the request
// fails honestly with `unavailable`.
import { AppError, errorChain } from "../services/errors.ts";

const BUSY = /database is locked|SQLITE_BUSY/i;

/** SQLite's "database is locked", as better-sqlite3 throws it or as Prisma wraps it. */
export function isBusy(error: unknown): boolean {
  for (const { code, message } of errorChain(error)) {
    if (code === "SQLITE_BUSY" || (typeof message === "string" && BUSY.test(message))) return true;
  }
  return false;
}

/** Runs `write`, again and again while SQLite is busy, for up to `budgetMs` (DATABASE_TIMEOUT_MS). */
export async function whileBusyRetry<T>(write: () => T | Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new AppError("unavailable", "The database is busy (another program holds it). Please retry in a moment.", {
          retryAfter: 5,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, 10 * 2 ** attempt)));
    }
  }
}
