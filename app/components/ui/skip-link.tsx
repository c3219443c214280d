"use client";

import { useTranslations } from "next-intl";

/** The first stop for the keyboard on a thread's page: straight to the messages, past the header. */
export function SkipToMessages() {
  const t = useTranslations("thread");
  return (
    <a
      href="#messages"
      className="sr-only z-50 rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
    >
      {t("skipToMessages")}
    </a>
  );
}
