"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { Button } from "../ui/button";

function TrashIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8">
      <path d="M4 6h12M8 6V4.5h4V6m-6.5 0 .7 9.5h7.6l.7-9.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * The uploader's way to take a file back: a bin that asks first ("Remove for everyone?"), since
 * the bytes are deleted for good. Errors are shown in place.
 */
export function RemoveFile({ name, onRemove }: { name: string; onRemove: () => Promise<unknown> }) {
  const t = useTranslations("files");
  const say = useProblemText();
  const [state, setState] = useState<"idle" | "asking" | "removing">("idle");
  const [error, setError] = useState<Problem | null>(null);

  if (state === "idle") {
    return (
      <button
        type="button"
        aria-label={t("remove", { name })}
        title={t("removeHint")}
        onClick={() => {
          setError(null);
          setState("asking");
        }}
        className="rounded-md p-1.5 text-slate-500 hover:bg-red-50 hover:text-red-700 dark:text-slate-400 dark:hover:bg-red-950 dark:hover:text-red-300"
      >
        <TrashIcon />
      </button>
    );
  }
  const remove = async () => {
    setState("removing");
    try {
      await onRemove();
    } catch (failure) {
      setError(problemOf(failure));
      setState("asking");
    }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a small inline question, not a form
    <span role="group" aria-label={t("removeAsk", { name })} className="flex flex-wrap items-center gap-1.5 text-xs">
      <span className="text-slate-600 dark:text-slate-300">{t("removeForEveryone")}</span>
      <Button variant="danger" size="xs" onClick={remove} disabled={state === "removing"}>
        {state === "removing" ? t("removing") : t("removeButton")}
      </Button>
      <Button variant="ghost" size="xs" onClick={() => setState("idle")} disabled={state === "removing"}>
        {t("cancel")}
      </Button>
      {error && (
        <span role="alert" className="basis-full text-red-700 dark:text-red-300">
          {say(error, "removeFile")}
        </span>
      )}
    </span>
  );
}
