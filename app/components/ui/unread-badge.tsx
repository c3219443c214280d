"use client";

import { useTranslations } from "next-intl";

/**
 * How many messages wait in a room or conversation: the count, or, when some call for me, "@"
 * and how many do, in a stronger colour. Screen readers hear both in words.
 */
export function UnreadBadge({ unread, mentions = 0, onBrand = false }: { unread: number; mentions?: number; onBrand?: boolean }) {
  const t = useTranslations("badge");
  if (unread <= 0) return null;
  const called = mentions > 0;
  return (
    <span
      data-mentions={called ? mentions : undefined}
      className={`shrink-0 rounded-full px-1.5 text-xs font-semibold ${
        called ? "bg-rose-600 text-white" : onBrand ? "bg-white/25" : "bg-brand-600 text-white"
      }`}
    >
      <span aria-hidden="true">{called ? `@${mentions}` : unread}</span>
      <span className="sr-only">
        {called ? `${t("mentions", { count: mentions })}, ${t("unread", { count: unread })}` : t("unread", { count: unread })}
      </span>
    </span>
  );
}
