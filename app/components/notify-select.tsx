"use client";

// What of a room notifies me: every message, mentions of me (the default), or nothing (muted: its
// count is dimmed and leaves the tab's title alone). A native select: every keyboard and screen
// reader knows it.
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { NotifyLevel } from "@/server/protocol";

export function NotifySelect({ value, onChange }: { value: NotifyLevel; onChange: (notify: NotifyLevel) => Promise<void> }) {
  const t = useTranslations("notify");
  const id = useId();
  const [failed, setFailed] = useState(false);
  return (
    <span className="flex items-center">
      <label htmlFor={id} className="sr-only">
        {t("label")}
      </label>
      <select
        id={id}
        value={value}
        title={failed ? t("failed") : t("label")}
        onChange={(e) => {
          setFailed(false);
          onChange(e.target.value as NotifyLevel).catch(() => setFailed(true));
        }}
        className={`h-8 max-w-[7.5rem] rounded-md border bg-white px-1.5 text-sm text-slate-700 sm:max-w-none dark:bg-slate-900 dark:text-slate-200 ${
          failed ? "border-red-500" : "border-slate-300 dark:border-slate-700"
        }`}
      >
        <option value="all">{t("all")}</option>
        <option value="mentions">{t("mentions")}</option>
        <option value="nothing">{t("nothing")}</option>
      </select>
    </span>
  );
}
