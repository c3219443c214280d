"use client";

import { signIn } from "next-auth/react";
import { useEffect, useRef, useState } from "react";

const inputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
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
    if (result?.status === 429) setError(result.error ?? "Too many failed sign-in attempts. Try again later.");
    else setError("Wrong username or password.");
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
          body: JSON.stringify({ username, password }),
        });
        if (res.status !== 201) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          setError(body?.error?.message ?? "Could not create the account.");
          return;
        }
      }
      if (await signInNow(username, password)) return;
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
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
    >
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          Username
        </label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          minLength={3}
          maxLength={32}
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          minLength={8}
          className={inputClass}
        />
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          New accounts: 3-32 letters, digits, _ . -; a password of 8 or more characters.
        </p>
      </div>
      {error && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
          {error}
        </p>
      )}
      <div className="flex flex-col gap-2 pt-1">
        <button
          type="submit"
          disabled={!interactive || busy !== null}
          className="w-full rounded-lg bg-brand-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
        >
          {busy === "signin" ? "Signing in…" : "Sign in"}
        </button>
        <button
          type="button"
          disabled={!interactive || busy !== null}
          onClick={(e) => {
            const form = e.currentTarget.form;
            if (form && !form.reportValidity()) return;
            void submit("register");
          }}
          className="w-full rounded-lg border border-slate-300 px-4 py-2 font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          {busy === "register" ? "Creating account…" : "Create account"}
        </button>
      </div>
    </form>
  );
}
