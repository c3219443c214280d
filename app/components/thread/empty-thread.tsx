"use client";

// What a room without messages says: who can join it and how, and what one can do in it.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { copy } from "@/app/lib/clipboard";
import { Button } from "../ui/button";

export function EmptyRoom({ link }: { link: string }) {
  const t = useTranslations("emptyRoom");
  const [copied, setCopied] = useState(false);
  return (
    <div className="mx-auto my-6 max-w-md rounded-2xl border border-dashed border-slate-300 p-6 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">
      <p className="font-medium text-slate-800 dark:text-slate-100">{t("title")}</p>
      <p className="mt-2">{t("invite")}</p>
      <Button
        className="mt-3"
        size="sm"
        variant="secondary"
        onClick={() => void copy(new URL(link, window.location.href).href).then(setCopied)}
      >
        {copied ? t("copied") : t("copyLink")}
      </Button>
      <ul className="mt-4 list-disc space-y-1 pl-5">
        <li>{t("tipFormat")}</li>
        <li>{t("tipFiles")}</li>
        <li>{t("tipReact")}</li>
      </ul>
    </div>
  );
}
