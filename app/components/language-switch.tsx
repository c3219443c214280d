"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { createContext, useContext, useState, useTransition } from "react";
import type { Language } from "@/server/i18n/choose";

/** The languages Komnata speaks (one per file in messages/), given once by the root layout. */
const Languages = createContext<Language[]>([]);

export function LanguagesProvider({ languages, children }: { languages: Language[]; children: React.ReactNode }) {
  return <Languages.Provider value={languages}>{children}</Languages.Provider>;
}

/**
 * Picks the language of the pages: kept on the account when signed in (so every device follows)
 * and in this browser's cookie; the page is then rendered again in it, without a reload.
 */
export function LanguageSwitch({ languages: given }: { languages?: Language[] }) {
  const t = useTranslations("language");
  const fromLayout = useContext(Languages);
  const languages = given ?? fromLayout;
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failed, setFailed] = useState(false);

  async function choose(next: string) {
    setFailed(false);
    const res = await fetch("/api/locale", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ locale: next }),
    }).catch(() => null);
    if (!res?.ok) {
      setFailed(true);
      return;
    }
    startTransition(() => router.refresh());
  }

  if (languages.length < 2) return null;
  return (
    <label className="relative inline-flex h-9 items-center rounded-lg text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800">
      <span className="sr-only">{t("label")}</span>
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        className="pointer-events-none absolute left-2 h-4 w-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
      >
        <circle cx="10" cy="10" r="7.5" />
        <path d="M2.5 10h15M10 2.5c2 2.2 3 4.7 3 7.5s-1 5.3-3 7.5c-2-2.2-3-4.7-3-7.5s1-5.3 3-7.5Z" strokeLinejoin="round" />
      </svg>
      <select
        value={locale}
        disabled={pending}
        title={failed ? t("failed") : t("label")}
        aria-invalid={failed || undefined}
        onChange={(e) => void choose(e.target.value)}
        className="h-9 cursor-pointer appearance-none rounded-lg bg-transparent pr-2 pl-7 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/40"
      >
        {languages.map((l) => (
          <option key={l.locale} value={l.locale} lang={l.locale}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
