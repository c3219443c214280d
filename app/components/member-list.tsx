"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { RoomMember } from "@/server/protocol";

export function MemberList({ members, me }: { members: RoomMember[]; me: string }) {
  const t = useTranslations("members");
  const sorted = [...members].sort((a, b) => Number(b.online) - Number(a.online) || a.username.localeCompare(b.username));
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {t("title")}
      </h2>
      <ul aria-label={t("title")} className="space-y-1">
        {sorted.map((m) => (
          <li key={m.id} className="flex items-center gap-2 rounded-md px-1.5 py-1 text-sm" data-online={m.online}>
            <span
              aria-hidden="true"
              className={`h-2.5 w-2.5 shrink-0 rounded-full ${m.online ? "bg-emerald-500" : "border border-slate-400 bg-transparent dark:border-slate-500"}`}
            />
            <span className={`truncate ${m.online ? "" : "text-slate-500 dark:text-slate-400"}`}>
              <span translate="no">{m.username}</span>
              {m.id === me && <span className="text-slate-500 dark:text-slate-400"> {t("you")}</span>}
            </span>
            <span className="sr-only">{m.online ? t("online") : t("offline")}</span>
            {m.id !== me && (
              <Link
                href={`/messages/${encodeURIComponent(m.username)}`}
                className="ml-auto shrink-0 rounded px-1.5 text-xs text-brand-600 hover:bg-brand-50 dark:text-brand-100 dark:hover:bg-slate-800"
                aria-label={t("messageTo", { username: m.username })}
              >
                {t("message")}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
