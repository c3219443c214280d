// GET /api/health: whether this node can do its job, for load balancers and supervisors. Each
// dependency is checked on every request (with a timeout): the database, the message store's
// connection, the upload directory, and Redis when it is configured. Any one down → 503.
import type { Logger } from "../log.ts";

export type Check = () => Promise<unknown>;

export interface Health {
  ok: boolean;
  /** "ok", "down" or "timeout" per dependency (the reason goes to the log, not to anyone asking) */
  checks: Record<string, "ok" | "down" | "timeout">;
}

const TIMEOUT = Symbol("timeout");

export async function checkHealth(checks: Record<string, Check>, log: Logger, timeoutMs = 3000): Promise<Health> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<typeof TIMEOUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMEOUT), timeoutMs);
      });
      try {
        const outcome = await Promise.race([check(), timeout]);
        if (outcome === TIMEOUT) {
          log.warn({ check: name }, "health check timed out");
          return [name, "timeout"] as const;
        }
        return [name, "ok"] as const;
      } catch (error) {
        log.warn({ check: name, err: error }, "health check failed");
        return [name, "down"] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checksOut = Object.fromEntries(results) as Health["checks"];
  return { ok: results.every(([, state]) => state === "ok"), checks: checksOut };
}
