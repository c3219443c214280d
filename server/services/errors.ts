// Typed domain errors. Transports map them in one place each (server/realtime/dispatch.ts for
// Socket.IO acks, server/http/respond.ts for HTTP); nothing else leaks to a client.
import type { ErrorBody, ErrorCode } from "../protocol/index.ts";

export class AppError extends Error {
  readonly code: ErrorCode;
  /** For rate_limited: seconds until a retry can succeed. */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfter?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) {
    return error.retryAfter === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, retryAfter: error.retryAfter };
  }
  if (isDiskFull(error)) {
    return { code: "insufficient_storage", message: "The server's disk is full: nothing was stored. Tell your administrator." };
  }
  if (isDatabaseUnavailable(error)) {
    return { code: "unavailable", message: "The database is not answering right now. Please retry in a moment.", retryAfter: 5 };
  }
  return { code: "internal", message: "Something went wrong on the server. Please try again." };
}

// PostgreSQL: statement cancelled by its timeout, server shutting down or starting, connection
// failures (class 08). Prisma: cannot reach, timed out, pool timeout, connection closed. The
// socket to the database refused, reset or cut (the pg driver passes the system error on).
const UNAVAILABLE_CODES = new Set([
  "57014",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|not queryable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|database is locked|SQLITE_BUSY/i;

/**
 * An error and what it wraps: its `cause` chain, and what Prisma's driver adapters keep in
 * `meta.driverAdapterError` (whose cause has the driver's `originalCode` and `originalMessage`).
 */
export function* errorChain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 8) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { cause, meta, originalCode, originalMessage } = e as {
      cause?: unknown;
      meta?: { driverAdapterError?: unknown };
      originalCode?: unknown;
      originalMessage?: unknown;
    };
    yield e as { code?: unknown; message?: unknown };
    if (originalCode !== undefined || originalMessage !== undefined) yield { code: originalCode, message: originalMessage };
    queue.push(cause, meta?.driverAdapterError);
  }
}

/** The disk under the database or the uploads is full (the OS, SQLite or PostgreSQL says so). */
export function isDiskFull(error: unknown): boolean {
  for (const { code } of errorChain(error)) if (code === "ENOSPC" || code === "SQLITE_FULL" || code === "53100") return true;
  return false;
}

/** A failure of the database to answer (down, hung, locked, overloaded), not of the request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const { code, message } of errorChain(error)) {
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || code === "SQLITE_BUSY")) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  too_large: 413,
  unavailable: 503,
  insufficient_storage: 507,
  internal: 500,
};

/** Prisma's foreign-key violation (the referenced row does not exist). */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2003";
}

/** Prisma's unique-constraint violation, whichever driver adapter raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
