"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { AccountMenu } from "./account-menu";
import { LanguageSwitch } from "./language-switch";
import { ProfileCardHost } from "./profile-card";
import { keyLabel, useIsMac } from "./shell/keys";
import { OPEN_SWITCHER } from "./shell/navigator";
import { Magnifier } from "./shell/quick-switcher";
import { ThemeToggle } from "./theme-toggle";
import { type ConnectionState, useSocket } from "./use-socket";
import { useUnreadTitle } from "./use-unread-title";

export function AppHeader({
  username,
  connection,
  inThread = false,
  children,
}: {
  username: string;
  connection: ConnectionState;
  /** a room, a conversation or a Files view: on a phone its title's back arrow replaces the logo */
  inThread?: boolean;
  children?: React.ReactNode;
}) {
  const t = useTranslations("header");
  const { socket } = useSocket();
  useUnreadTitle(socket, username);
  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-3 sm:px-5 dark:border-slate-800 dark:bg-slate-900">
      <Link href="/" className={`${inThread ? "hidden sm:flex" : "flex"} items-center gap-2 font-semibold tracking-tight`}>
        <span aria-hidden="true" className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white">
          K
        </span>
        <span className="sr-only sm:not-sr-only">Komnata</span>
      </Link>
      <div
        className={`min-w-0 flex-1 border-slate-200 dark:border-slate-700 ${inThread ? "sm:border-l sm:pl-3" : "border-l pl-3"}`}
      >
        {children}
      </div>
      <JumpButton />
      {connection !== "connected" && (
        <span
          role="status"
          className="rounded-full bg-amber-100 px-2.5 py-1 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
        >
          {connection === "connecting" ? t("connecting") : t("reconnecting")}
        </span>
      )}
      {/* on a phone the header has no room for it: it is in the account menu there */}
      <span className="hidden sm:contents">
        <LanguageSwitch />
      </span>
      {/* on a phone, the theme switch is in the account menu too */}
      <span className="hidden sm:contents">
        <ThemeToggle />
      </span>
      <AccountMenu username={username} />
      <ProfileCardHost me={username} />
    </header>
  );
}

/** The header's title for a room or a conversation: back to the lobby, a name, a line below it. */
export function ThreadTitle({ title, subtitle }: { title: string; subtitle?: string | null }) {
  const t = useTranslations("header");
  return (
    <div className="flex min-w-0 items-center gap-2">
      {/* on a phone, where a room fills the screen, the way back home is an arrow */}
      <Link
        href="/"
        className="-ml-1 shrink-0 rounded-md px-2 py-1 text-lg leading-none text-slate-600 hover:bg-slate-200 sm:ml-0 sm:text-sm dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true">← </span>
        <span className="sr-only sm:not-sr-only">{t("lobby")}</span>
      </Link>
      <div className="min-w-0">
        <h1 className="truncate text-base font-semibold">{title}</h1>
        {subtitle && <p className="truncate text-xs text-slate-500 dark:text-slate-400">{subtitle}</p>}
      </div>
    </div>
  );
}

/**
 * Opens the quick switcher (shell/navigator.tsx listens): what Ctrl+K does, for a mouse or a
 * phone. A search-like field on a desktop, a magnifier on a phone.
 */
function JumpButton() {
  const t = useTranslations("switcher");
  const mac = useIsMac();
  return (
    <button
      type="button"
      onClick={() => window.dispatchEvent(new Event(OPEN_SWITCHER))}
      aria-keyshortcuts={mac ? "Meta+K" : "Control+K"}
      className="flex items-center gap-2 rounded-lg p-2 text-sm text-slate-600 hover:bg-slate-200 md:w-64 md:border whitespace-nowrap md:border-slate-300 md:bg-slate-50 md:px-3 md:py-1.5 dark:text-slate-300 dark:hover:bg-slate-800 md:dark:border-slate-700 md:dark:bg-slate-950"
    >
      <Magnifier />
      <span className="sr-only md:not-sr-only md:flex-1 md:truncate md:text-left">{t("open")}</span>
      <kbd className="hidden font-sans text-xs text-slate-500 md:inline dark:text-slate-400">{keyLabel("mod", mac)} K</kbd>
    </button>
  );
}
