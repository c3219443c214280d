"use client";

import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { Button } from "./button";

/**
 * A question asked in place before something that cannot be undone ("Remove for everyone?"):
 * the action, Cancel, and what went wrong if it failed (said for `errorContext`, docs/i18n.md).
 */
export function ConfirmInline({
  label,
  question,
  confirm,
  busyLabel,
  cancel,
  errorContext,
  onConfirm,
  onCancel,
  className = "",
}: {
  /** the group's accessible name */
  label: string;
  question: string;
  confirm: string;
  busyLabel: string;
  cancel: string;
  errorContext: string;
  onConfirm: () => Promise<unknown>;
  onCancel: () => void;
  className?: string;
}) {
  const say = useProblemText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(problemOf(failure));
      setBusy(false);
    }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a small inline question, not a form
    <span role="group" aria-label={label} className={`flex flex-wrap items-center gap-1.5 text-xs ${className}`}>
      <span className="text-slate-600 dark:text-slate-300">{question}</span>
      <Button variant="danger" size="xs" onClick={go} disabled={busy}>
        {busy ? busyLabel : confirm}
      </Button>
      <Button variant="ghost" size="xs" onClick={onCancel} disabled={busy}>
        {cancel}
      </Button>
      {error && (
        <span role="alert" className="basis-full text-red-700 dark:text-red-300">
          {say(error, errorContext)}
        </span>
      )}
    </span>
  );
}
