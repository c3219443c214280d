"use client";

import { useTranslations } from "next-intl";

/**
 * How many messages wait in a room or conversation: the count, or, when some call for me, "@"
 * and how many do, in a stronger colour. Screen readers hear both in words.
 */
export function UnreadBadge({
  unread,
  mentions = 0,
  muted = false,
  onBrand = false,
}: {
  unread: number;
  mentions?: number;
  /** a room set to notify nothing: its count is there, dimmed */
  muted?: boolean;
  onBrand?: boolean;
}) {
  const t = useTranslations("badge");
  if (unread <= 0) return null;
  const called = mentions > 0 && !muted;
  const words = called
    ? `${t("mentions", { count: mentions })}, ${t("unread", { count: unread })}`
    : t("unread", { count: unread });
  return (
    <span
      data-mentions={called ? mentions : undefined}
      data-muted={muted || undefined}
      className={`shrink-0 rounded-full px-1.5 text-xs font-semibold ${
        muted
          ? "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200"
          : called
            ? "bg-rose-600 text-white"
            : onBrand
              ? "bg-white/25"
              : "bg-brand-600 text-white"
      }`}
    >
      <span aria-hidden="true">{called ? `@${mentions}` : unread}</span>
      <span className="sr-only">{muted ? `${words} (${t("muted")})` : words}</span>
    </span>
  );
}
