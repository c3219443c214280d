// The error codes a client can be answered with, over Socket.IO acks and HTTP alike.
export const ERROR_CODES = [
  "invalid_input",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "too_large",
  "unavailable",
  "insufficient_storage",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a refused request carries: `{ ok: false, error }` in an ack, `{ error }` in an HTTP body. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** for rate_limited: seconds until a retry can succeed */
  retryAfter?: number;
}

/** What the browser's sign-in (next-auth) answers for an account a server admin deactivated. */
export const DEACTIVATED = "AccountDeactivated";
