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
  return { code: "internal", message: "Something went wrong on the server. Please try again." };
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  too_large: 413,
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
