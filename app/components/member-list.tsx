"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { RoomMember, RoomRole } from "@/server/protocol";
import { openProfile } from "./profile-card";
import { canManage } from "./room/member-actions";

export function MemberList({
  members,
  me,
  myRole,
  onManage,
}: {
  members: RoomMember[];
  me: string;
  /** my role in the room: an owner or admin gets a way to manage the members they may */
  myRole?: RoomRole;
  onManage?: (member: RoomMember) => void;
}) {
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
            <span className={`min-w-0 flex-1 ${m.online ? "" : "text-slate-500 dark:text-slate-400"}`}>
              <button
                type="button"
                onClick={() => openProfile(m.id)}
                className="block max-w-full truncate text-left hover:underline"
              >
                <span translate="no">{m.displayName || m.username}</span>
                {m.id === me && <span className="text-slate-500 dark:text-slate-400"> {t("you")}</span>}
              </button>
              {m.role !== "member" && <span className="block text-xs text-slate-600 dark:text-slate-400">{t(m.role)}</span>}
              {m.bot && <span className="block text-xs text-slate-600 dark:text-slate-400">{t("bot")}</span>}
              {m.deactivated && <span className="block text-xs text-slate-600 dark:text-slate-400">{t("deactivated")}</span>}
            </span>
            <span className="sr-only">{m.online ? t("online") : t("offline")}</span>
            <span className="flex shrink-0 gap-0.5">
              {m.id !== me && (
                <Link
                  href={`/messages/${encodeURIComponent(m.username)}`}
                  className="grid h-6 w-6 place-items-center rounded text-brand-600 hover:bg-brand-50 dark:text-brand-100 dark:hover:bg-slate-800"
                  aria-label={t("messageTo", { username: m.username })}
                  title={t("messageTo", { username: m.username })}
                >
                  {/* a speech bubble: the column is narrow, and the name needs the room */}
                  <svg
                    aria-hidden="true"
                    viewBox="0 0 20 20"
                    className="h-4 w-4"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="1.6"
                  >
                    <path d="M4 4.5h12v8H9l-3.5 3v-3H4z" strokeLinejoin="round" />
                  </svg>
                </Link>
              )}
              {onManage && canManage(myRole, m, me) && (
                <button
                  type="button"
                  onClick={() => onManage(m)}
                  aria-label={t("manage", { username: m.username })}
                  title={t("manage", { username: m.username })}
                  className="rounded px-1 text-xs text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
                >
                  ⋯
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
