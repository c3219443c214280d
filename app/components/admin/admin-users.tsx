"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { copy } from "@/app/lib/clipboard";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { AdminUser } from "@/server/protocol";
import { SearchField } from "../search-field";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useSettled } from "../use-settled";
import { adminApi } from "./admin-api";
import { AdminCard } from "./admin-view";

/** Accounts: found by name; deactivated and reactivated, made admins, given a password reset link. */
export function AdminUsers({ me }: { me: string }) {
  const t = useTranslations("admin");
  const say = useProblemText();
  const [query, setQuery] = useState("");
  const settled = useSettled(query.trim(), 250);
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [reset, setReset] = useState<{ userId: string; url: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const { users: found } = await adminApi<{ users: AdminUser[] }>(`users?${new URLSearchParams({ query: settled })}`);
      setUsers(found);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }, [settled]);
  useEffect(() => void load(), [load]);

  async function act(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
      await load();
    } catch (failure) {
      setError(problemOf(failure));
    }
  }
  const post = (path: string, body?: unknown, method = "POST") => act(() => adminApi(path, { method, body }));

  return (
    <AdminCard id="admin-users" title={t("users")}>
      <SearchField id="admin-user-search" label={t("findUser")} placeholder={t("findUser")} value={query} onChange={setQuery} />
      {error && <Alert>{say(error, "admin")}</Alert>}
      <ul aria-label={t("users")} className="divide-y divide-slate-200 dark:divide-slate-800">
        {users?.map((u) => (
          <li key={u.id} className="space-y-1.5 py-2 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <span translate="no" className={`font-medium ${u.deactivatedAt ? "text-slate-500 line-through" : ""}`}>
                {u.username}
              </span>
              {u.isAdmin && (
                <span className="rounded bg-brand-50 px-1.5 text-xs text-brand-700 dark:bg-brand-500/15 dark:text-brand-100">
                  {t("adminBadge")}
                </span>
              )}
              {u.deactivatedAt && (
                <span className="rounded bg-slate-100 px-1.5 text-xs dark:bg-slate-800">{t("deactivated")}</span>
              )}
              {u.id === me && <span className="text-xs text-slate-500 dark:text-slate-400">{t("you")}</span>}
            </div>
            <div className="flex flex-wrap gap-1.5">
              {u.id !== me &&
                (u.deactivatedAt ? (
                  <Button size="xs" variant="secondary" onClick={() => void post(`users/${u.id}/reactivate`)}>
                    {t("reactivate")}
                  </Button>
                ) : (
                  <Button size="xs" variant="danger" onClick={() => void post(`users/${u.id}/deactivate`)}>
                    {t("deactivate", { username: u.username })}
                  </Button>
                ))}
              <Button
                size="xs"
                variant="secondary"
                onClick={() => void post(`users/${u.id}/admin`, { isAdmin: !u.isAdmin }, "PUT")}
              >
                {u.isAdmin ? t("removeAdmin") : t("makeAdmin")}
              </Button>
              <Button
                size="xs"
                variant="secondary"
                onClick={() =>
                  void act(async () => {
                    const link = await adminApi<{ url: string }>(`users/${u.id}/reset-password`, { method: "POST" });
                    setReset({ userId: u.id, url: link.url });
                    await copy(link.url);
                  })
                }
              >
                {t("resetLink")}
              </Button>
            </div>
            {reset?.userId === u.id && (
              <p role="status" className="break-all rounded-lg bg-slate-50 p-2 font-mono text-xs dark:bg-slate-800">
                {t("resetIssued")} {reset.url}
              </p>
            )}
          </li>
        ))}
      </ul>
    </AdminCard>
  );
}
