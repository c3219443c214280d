"use client";

// Setting a new password through a one-time link: the new password twice over is not asked (it
// can be shown instead), then the person is signed in with it and goes to the lobby.
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { inputClass } from "./ui/input";

export function ResetPassword({ token }: { token: string }) {
  const t = useTranslations("resetPassword");
  const say = useProblemText();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/password-reset", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, password }),
      });
      const body = (await res.json().catch(() => null)) as { user?: { username: string }; error?: unknown } | null;
      if (!res.ok || !body?.user) {
        setError(problemOf(body?.error));
        setBusy(false);
        return;
      }
      await signIn("credentials", { username: body.user.username, password, redirect: false });
      window.location.assign("/");
    } catch {
      setError({ code: "network" });
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-full items-start justify-center px-4 pt-16 sm:items-center sm:pt-0">
      <form
        onSubmit={submit}
        className="w-full max-w-sm space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <h1 className="text-xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
        <div>
          <label htmlFor="new-password" className="mb-1 block text-sm font-medium">
            {t("password")}
          </label>
          <input
            id="new-password"
            name="password"
            type={shown ? "text" : "password"}
            autoComplete="new-password"
            required
            minLength={8}
            className={inputClass}
          />
          <label className="mt-2 flex items-center gap-2 text-sm">
            <input type="checkbox" checked={shown} onChange={(e) => setShown(e.target.checked)} />
            {t("show")}
          </label>
        </div>
        {error && <Alert>{say(error, "reset")}</Alert>}
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? t("saving") : t("save")}
        </Button>
      </form>
    </main>
  );
}
