"use client";

// My account: my profile (name, status, picture), and my password (the current one first; every
// other device is signed out, this one signs in again with the new one).
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { request } from "@/server/protocol/request";
import { AppHeader } from "./app-header";
import { ExportSettings } from "./export-settings";
import { IntegrationSettings } from "./integration-settings";
import { ProfileSettings } from "./profile-settings";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { inputClass } from "./ui/input";
import { useLiveQuery } from "./use-live";
import { useSocket, withSocketClosed } from "./use-socket";

export function AccountSettings({ user }: { user: { id: string; username: string } }) {
  const t = useTranslations("accountSettings");
  const say = useProblemText();
  const { socket, connection } = useSocket();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const { data: rooms } = useLiveQuery(socket, async (s) => (await request(s, "room:mine", {})).rooms);

  async function changePassword(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fields = new FormData(form);
    const oldPassword = String(fields.get("current") ?? "");
    const newPassword = String(fields.get("new") ?? "");
    setBusy(true);
    setDone(false);
    setError(null);
    try {
      // this browser's session is signed out with the others: it signs in again with the new
      // password before its socket comes back
      const problem = await withSocketClosed(async () => {
        const res = await fetch("/api/password", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ oldPassword, newPassword }),
        });
        if (!res.ok) return problemOf(((await res.json().catch(() => null)) as { error?: unknown } | null)?.error);
        await signIn("credentials", { username: user.username, password: newPassword, redirect: false });
        return null;
      });
      if (problem) {
        setError(problem);
        return;
      }
      form.reset();
      setDone(true);
    } catch {
      setError({ code: "network" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <h1 className="truncate text-base font-semibold">{t("title")}</h1>
      </AppHeader>
      <main className="mx-auto w-full max-w-xl space-y-6 px-4 py-6 sm:px-6">
        <ProfileSettings socket={socket} user={user} />
        <form
          onSubmit={changePassword}
          className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 className="font-semibold">{t("password")}</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">{t("passwordHint")}</p>
          <div>
            <label htmlFor="current-password" className="mb-1 block text-sm font-medium">
              {t("current")}
            </label>
            <input
              id="current-password"
              name="current"
              type="password"
              autoComplete="current-password"
              required
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="new-password" className="mb-1 block text-sm font-medium">
              {t("new")}
            </label>
            <input
              id="new-password"
              name="new"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              className={inputClass}
            />
          </div>
          {error && <Alert>{say(error, "password")}</Alert>}
          {done && (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
              {t("changed")}
            </p>
          )}
          <Button type="submit" disabled={busy}>
            {t("change")}
          </Button>
        </form>
        <IntegrationSettings rooms={rooms ?? []} />
        <ExportSettings socket={socket} />
      </main>
    </div>
  );
}
