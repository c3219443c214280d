"use client";

// How times and sizes read on screen, in the page's language (Intl through next-intl).
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useCallback, useMemo } from "react";

const UNITS = ["KB", "MB", "GB"] as const;

/** The value and unit a size is shown in: bytes under 1 KB, else KB/MB/GB with one decimal under 10. */
export function sizeParts(bytes: number): { value: number; unit: "B" | (typeof UNITS)[number]; digits: number } {
  if (bytes < 1024) return { value: bytes, unit: "B", digits: 0 };
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 && !Number.isInteger(value) ? 1 : 0;
  return { value: digits === 1 ? Math.round(value * 10) / 10 : Math.round(value), unit: UNITS[unit], digits };
}

/** Sizes ("2.4 MB", "2,4 МБ"), message times and how long ago ("5 minutes ago"), for this page's language. */
export function useFormat() {
  const t = useTranslations("format");
  const format = useFormatter();
  const locale = useLocale();
  const number = useMemo(() => [0, 1].map((d) => new Intl.NumberFormat(locale, { maximumFractionDigits: d })), [locale]);

  const size = useCallback(
    (bytes: number) => {
      const { value, unit, digits } = sizeParts(bytes);
      return t(`size.${unit}`, { n: number[digits].format(value) });
    },
    [t, number],
  );

  /** A message's time: the hour today, the date and hour before. */
  const time = useCallback(
    (iso: string) => {
      const date = new Date(iso);
      const sameDay = date.toDateString() === new Date().toDateString();
      return sameDay
        ? format.dateTime(date, { hour: "2-digit", minute: "2-digit" })
        : format.dateTime(date, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    },
    [format],
  );

  /** How long ago: "just now", "5 minutes ago", "3 hours ago", then the date. */
  const relative = useCallback(
    (iso: string | null) => {
      if (!iso) return t("noMessagesYet");
      const date = new Date(iso);
      const seconds = (Date.now() - date.getTime()) / 1000;
      if (seconds < 45) return t("justNow");
      if (seconds < 24 * 60 * 60) return format.relativeTime(date, { now: new Date(), unit: seconds < 3600 ? "minute" : "hour" });
      return format.dateTime(date, { month: "short", day: "numeric" });
    },
    [t, format],
  );

  return { size, time, relative };
}

/** What kind of file, in a word: the extension, else the MIME subtype. */
export function fileKind(file: { name: string; type: string }): string {
  const dot = file.name.lastIndexOf(".");
  if (dot > 0 && file.name.length - dot <= 6) return file.name.slice(dot + 1).toUpperCase();
  return (
    (file.type.split("/")[1] ?? "file")
      .split(/[.+;-]/)[0]
      .toUpperCase()
      .slice(0, 5) || "FILE"
  );
}
