"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { DEACTIVATED } from "@/server/protocol/errors";
import { Alert } from "../components/ui/alert";
import { Button } from "../components/ui/button";
import { inputClass } from "../components/ui/input";
import { type Problem, problemOf, useProblemText } from "../lib/problems";

export function LoginForm({
  callbackUrl,
  invite,
  canRegister = true,
}: {
  callbackUrl: string;
  /** the invitation that lets a new account be made while registration is invite-only */
  invite?: string;
  /** false: the server takes no new accounts (from this visitor): no "Create account" */
  canRegister?: boolean;
}) {
  const t = useTranslations("login");
  const say = useProblemText();
  const form = useRef<HTMLFormElement>(null);
  /** what went wrong, and while doing what (signing in or creating the account) */
  const [error, setError] = useState<{ problem: Problem; context: "signIn" | "register" } | null>(null);
  const [busy, setBusy] = useState<"signin" | "register" | null>(null);
  // The fields are read from the form when it is sent, so what was typed before the page became
  // interactive counts; the buttons wait for that moment, so no click (or Enter) goes nowhere.
  const [interactive, setInteractive] = useState(false);
  useEffect(() => setInteractive(true), []);

  async function signInNow(username: string, password: string): Promise<boolean> {
    const result = await signIn("credentials", { username, password, redirect: false });
    if (result?.ok && !result.error) {
      // a full navigation, so the server renders the next page with the new session
      window.location.assign(callbackUrl);
      return true;
    }
    const code = result?.status === 429 ? "rate_limited" : result?.error === DEACTIVATED ? "forbidden" : "unauthorized";
    setError({ problem: { code }, context: "signIn" });
    return false;
  }

  async function submit(mode: "signin" | "register") {
    const fields = new FormData(form.current as HTMLFormElement);
    const username = String(fields.get("username") ?? "");
    const password = String(fields.get("password") ?? "");
    setError(null);
    setBusy(mode);
    try {
      if (mode === "register") {
        const res = await fetch("/api/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password, invite }),
        });
        if (res.status !== 201) {
          const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
          setError({ problem: problemOf(body?.error), context: "register" });
          return;
        }
      }
      if (await signInNow(username, password)) return;
    } catch {
      setError({ problem: { code: "network" }, context: mode === "register" ? "register" : "signIn" });
    } finally {
      setBusy(null);
    }
  }

  return (
    <form
      ref={form}
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(e) => {
        e.preventDefault();
        void submit("signin");
      }}
      // what went wrong last time is stale once the person types again
      onChange={() => setError(null)}
    >
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          {t("username")}
        </label>
        <input
          id="username"
          name="username"
          // biome-ignore lint/a11y/noAutofocus: the sign-in page is there to type a username into
          autoFocus
          autoComplete="username"
          required
          minLength={3}
          maxLength={32}
          className={`mt-1 ${inputClass}`}
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          {t("password")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          minLength={8}
          className={`mt-1 ${inputClass}`}
        />
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t("rules")}</p>
      </div>
      {error && <Alert>{say(error.problem, error.context)}</Alert>}
      <div className="flex flex-col gap-2 pt-1">
        <Button type="submit" disabled={!interactive || busy !== null} className="w-full">
          {busy === "signin" ? t("signingIn") : t("signIn")}
        </Button>
        {canRegister && (
          <Button
            variant="secondary"
            disabled={!interactive || busy !== null}
            onClick={(e) => {
              const form = e.currentTarget.form;
              if (form && !form.reportValidity()) return;
              void submit("register");
            }}
            className="w-full"
          >
            {busy === "register" ? t("creatingAccount") : t("createAccount")}
          </Button>
        )}
      </div>
    </form>
  );
}
