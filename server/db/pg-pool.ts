// The one PostgreSQL pool of a node: Prisma's adapter and the plain-SQL stores share it, so a node
// holds at most `PG_POOL_SIZE` connections, whichever of them is busy.
import pg from "pg";
import { DEFAULT_DATABASE_TIMEOUT_MS, pgTimeouts } from "./timeouts.ts";

/** Connections per node: the message queue writes up to 8 rooms at once, the rest serve Prisma's reads. */
export const PG_POOL_SIZE = 16;

export interface PoolOptions {
  /** told of a failed idle connection (already dropped and replaced as needed) */
  onPoolError?: (error: Error) => void;
  /** statement and connection timeout (DATABASE_TIMEOUT_MS) */
  timeoutMs?: number;
  max?: number;
}

/**
 * A pool whose failed connections never crash the process. A connection that fails (PostgreSQL
 * stopped or restarted, the connection killed) emits "error": an idle one through the pool, a
 * checked-out one (a batch's transaction between two statements) on its own client. With no
 * listener either would crash the process, so both always have one; the checked-out client's next
 * statement fails, the batch is answered `unavailable`, and the pool drops the client when it is
 * released.
 */
export function openPgPool(
  databaseUrl: string,
  { onPoolError = () => undefined, timeoutMs = DEFAULT_DATABASE_TIMEOUT_MS, max = PG_POOL_SIZE }: PoolOptions = {},
): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, ...pgTimeouts(timeoutMs) });
  pool.on("error", onPoolError);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}
