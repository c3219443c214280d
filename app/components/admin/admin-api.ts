// The admin page's requests to /api/admin/… (docs/protocol.md, "Administration"): JSON in and
// out, a refusal thrown as its problem (the page says it in its language).
import type { ProblemCode } from "@/app/lib/problems";

export class AdminRequestError extends Error {
  constructor(readonly code: ProblemCode) {
    super(code);
  }
}

export async function adminApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/admin/${path}`, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new AdminRequestError("network");
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as (T & { error?: { code?: ProblemCode } }) | null;
  if (!res.ok) throw new AdminRequestError(body?.error?.code ?? "internal");
  return body as T;
}
