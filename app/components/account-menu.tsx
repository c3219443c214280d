"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { unsubscribeHere } from "@/app/lib/push";
import { LanguageSwitch } from "./language-switch";
import { NotificationSettings } from "./shell/notification-settings";
import { ThemeToggle } from "./theme-toggle";
import { useSocket } from "./use-socket";

const ITEM =
  "block w-full rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60 dark:text-slate-200 dark:hover:bg-slate-800";

/**
 * Who is signed in, and the ways out: this browser only, or every device at once (for a lost
 * phone or a shared computer). Opens from the name (an initial on phones); Escape or a click
 * elsewhere closes it.
 */
export function AccountMenu({ username }: { username: string }) {
  const t = useTranslations("account");
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [settings, setSettings] = useState(false);
  const tn = useTranslations("notifications");
  const { socket } = useSocket();
  const menu = useId();
  const root = useRef<HTMLDivElement>(null);
  /** whether I am a server admin: asked once, when the menu first opens */
  const [admin, setAdmin] = useState(false);
  const asked = useRef(false);
  useEffect(() => {
    if (!open || asked.current) return;
    asked.current = true;
    fetch("/api/me")
      .then((res) => (res.ok ? (res.json() as Promise<{ isAdmin: boolean }>) : null))
      .then((me) => setAdmin(me?.isAdmin === true))
      .catch(() => undefined);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) {
        // an Escape that closes the menu does nothing else (a room's "Escape marks read")
        event.preventDefault();
        setOpen(false);
      }
    };
    document.addEventListener("keydown", close);
    document.addEventListener("pointerdown", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("pointerdown", close);
    };
  }, [open]);

  async function everywhere() {
    setBusy(true);
    setFailed(false);
    await unsubscribeHere().catch(() => undefined);
    const res = await fetch("/api/logout-all", { method: "POST" }).catch(() => null);
    if (res && (res.ok || res.status === 401)) {
      // this browser's own session is one of those ended: clear its cookie and go
      await signOut({ callbackUrl: "/login" });
      return;
    }
    setFailed(true);
    setBusy(false);
  }

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menu}
        aria-label={t("menu", { username })}
        onClick={() => setOpen((o) => !o)}
        className="flex max-w-44 items-center gap-1.5 rounded-lg px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        {/* the initial is drawn, not text: the button's name is "Account: name", and all it shows is in that */}
        <span
          aria-hidden="true"
          data-initial={username.slice(0, 1)}
          className="grid h-6 w-6 shrink-0 place-items-center rounded-full bg-slate-200 text-xs font-semibold uppercase before:content-[attr(data-initial)] dark:bg-slate-700"
        />
        <span className="hidden truncate sm:inline">{username}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 shrink-0" fill="currentColor">
          <path d="M5.5 7.5 10 12l4.5-4.5" stroke="currentColor" strokeWidth="1.6" fill="none" strokeLinecap="round" />
        </svg>
      </button>
      {open && (
        <div
          id={menu}
          className="absolute right-0 z-20 mt-1 w-60 rounded-xl border border-slate-200 bg-white p-1.5 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="truncate px-3 pt-1 pb-2 text-xs text-slate-500 dark:text-slate-400">
            {t.rich("signedInAs", {
              username,
              name: (chunks) => <span className="font-medium text-slate-700 dark:text-slate-200">{chunks}</span>,
            })}
          </p>
          <button
            type="button"
            className={ITEM}
            onClick={() => {
              setOpen(false);
              setSettings(true);
            }}
          >
            {tn("open")}
          </button>
          <Link href="/settings" className={ITEM}>
            {t("settings")}
          </Link>
          {admin && (
            <Link href="/admin" className={ITEM}>
              {t("admin")}
            </Link>
          )}
          <button
            type="button"
            className={ITEM}
            disabled={busy}
            onClick={async () => {
              // this browser gets no more pushes for this account
              await unsubscribeHere().catch(() => undefined);
              await signOut({ callbackUrl: "/login" });
            }}
          >
            {t("signOut")}
          </button>
          <button type="button" className={ITEM} disabled={busy} onClick={everywhere}>
            {busy ? t("signingOutEverywhere") : t("signOutEverywhere")}
          </button>
          <div className="mt-1 border-t border-slate-200 px-1 pt-1 sm:hidden dark:border-slate-700">
            <ThemeToggle labelled />
            <LanguageSwitch />
          </div>
          {failed && (
            <p role="alert" className="px-3 py-1 text-xs text-red-700 dark:text-red-300">
              {t("signOutEverywhereFailed")}
            </p>
          )}
        </div>
      )}
      {settings && <NotificationSettings socket={socket} onClose={() => setSettings(false)} />}
    </div>
  );
}
