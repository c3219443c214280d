// The admin page's requests to /api/admin/… (docs/protocol.md, "Administration").
import { apiRequest } from "@/app/lib/api";

export function adminApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return apiRequest<T>(`/api/admin/${path}`, init);
}
