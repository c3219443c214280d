// The pages' requests to the HTTP API (docs/protocol.md): JSON in and out (or a file's bytes
// in), a refusal thrown as its problem, which the page says in its language (problems.ts).
import type { Problem, ProblemCode } from "./problems";

export class ApiError extends Error implements Problem {
  constructor(
    readonly code: ProblemCode,
    readonly retryAfter?: number,
  ) {
    super(code);
  }
}

/** `path`'s answer (undefined for 204); `body` is sent as JSON, a `file` as itself with its type. */
export async function apiRequest<T>(path: string, init: { method?: string; body?: unknown; file?: Blob } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.file
        ? { "content-type": init.file.type }
        : init.body === undefined
          ? undefined
          : { "content-type": "application/json" },
      body: init.file ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  } catch {
    throw new ApiError("network");
  }
  if (res.status === 204) return undefined as T;
  const answer = (await res.json().catch(() => null)) as (T & { error?: { code?: ProblemCode; retryAfter?: number } }) | null;
  if (!res.ok) throw new ApiError(answer?.error?.code ?? "internal", answer?.error?.retryAfter);
  return answer as T;
}
