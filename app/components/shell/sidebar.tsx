"use client";

// The sidebar: my rooms and my conversations, each with what I have not read, the one on screen
// marked, sorted by activity (unread first) or by name as I choose, each section folding away.
// A column beside the page on a desktop; on a phone, the home screen's list (the lobby's top).
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { readStored, writeStored } from "@/app/lib/stored";
import { UnreadBadge } from "../ui/unread-badge";
import type { Place, Places } from "./use-places";

const FOLDED_KEY = "komnata-sidebar-folded";

function Section({
  id,
  title,
  entries,
  folded,
  onFold,
}: {
  id: string;
  title: string;
  entries: Place[] | null;
  folded: boolean;
  onFold: (folded: boolean) => void;
}) {
  const t = useTranslations("sidebar");
  return (
    <section aria-labelledby={`${id}-heading`} className="mt-3">
      <h2 id={`${id}-heading`}>
        <button
          type="button"
          aria-expanded={!folded}
          onClick={() => onFold(!folded)}
          className="flex w-full items-center gap-1 rounded px-2 py-1 text-xs font-semibold uppercase tracking-wide text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
        >
          <span aria-hidden="true" className={`inline-block transition-transform ${folded ? "-rotate-90" : ""}`}>
            ▾
          </span>
          {title}
        </button>
      </h2>
      {!folded && (
        <ul aria-label={title} className="mt-0.5 space-y-px">
          {entries?.length === 0 && <li className="px-2 py-1 text-xs text-slate-600 dark:text-slate-400">{t("none")}</li>}
          {entries?.map((e) => (
            <li key={e.key}>
              <Link
                href={e.href}
                aria-current={e.current ? "page" : undefined}
                className={`flex items-center gap-2 rounded-md px-2 py-1 text-sm max-lg:py-2.5 max-lg:text-base ${
                  e.current
                    ? "bg-brand-600 text-white"
                    : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                <span
                  translate="no"
                  className={`min-w-0 flex-1 truncate ${e.unread > 0 && !e.current && !e.muted ? "font-semibold" : ""}`}
                >
                  {e.label}
                </span>
                <UnreadBadge unread={e.unread} mentions={e.mentions} muted={e.muted} onBrand={e.current} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Sidebar({ places, home = false }: { places: Places; home?: boolean }) {
  const t = useTranslations("sidebar");
  const [folded, setFolded] = useState<Record<string, boolean>>({});
  useEffect(() => setFolded(readStored<Record<string, boolean>>(FOLDED_KEY, {})), []);
  const fold = (id: string) => (value: boolean) => {
    const next = { ...folded, [id]: value };
    setFolded(next);
    writeStored(FOLDED_KEY, next);
  };
  const { sort, setSort } = places;

  return (
    <nav
      aria-label={t("label")}
      className={`${home ? "flex max-lg:border-b max-lg:bg-white max-lg:px-3 max-lg:pb-3 max-lg:dark:bg-slate-900" : "hidden"} w-full shrink-0 flex-col overflow-y-auto border-slate-200 lg:flex lg:w-60 lg:border-r lg:bg-slate-100/60 lg:px-2 lg:pb-4 dark:border-slate-800 lg:dark:bg-slate-900/60`}
    >
      <div className="mt-3 flex items-center justify-between gap-2 px-2">
        {home ? <h2 className="text-sm font-semibold text-slate-700 lg:hidden dark:text-slate-200">{t("label")}</h2> : null}
        <Link
          href="/"
          aria-current={home ? "page" : undefined}
          className={`${home ? "max-lg:hidden" : ""} text-sm font-medium text-slate-700 hover:underline aria-[current=page]:font-semibold dark:text-slate-200`}
        >
          {t("lobby")}
        </Link>
        <button
          type="button"
          onClick={() => setSort(sort === "activity" ? "name" : "activity")}
          title={t("sortHint")}
          className="rounded px-1.5 py-0.5 text-xs text-slate-600 hover:bg-slate-200 dark:text-slate-400 dark:hover:bg-slate-800"
        >
          {sort === "activity" ? t("byActivity") : t("byName")}
        </button>
      </div>
      <Section id="sidebar-rooms" title={t("rooms")} entries={places.rooms} folded={!!folded.rooms} onFold={fold("rooms")} />
      <Section
        id="sidebar-dms"
        title={t("conversations")}
        entries={places.conversations}
        folded={!!folded.conversations}
        onFold={fold("conversations")}
      />
    </nav>
  );
}
