/** How long a statement or a new connection may take (DATABASE_TIMEOUT_MS). */
export const DEFAULT_DATABASE_TIMEOUT_MS = 10_000;

/**
 * pg settings for every pool: a statement cancelled by the server after `timeoutMs`, and on the
 * client after a little more (a server that stopped answering altogether cannot cancel anything).
 */
export function pgTimeouts(timeoutMs: number) {
  return { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs + 2000 };
}
