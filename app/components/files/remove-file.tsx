"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmInline } from "../ui/confirm-inline";

/** A bin: removing a file, deleting a message. */
export function TrashIcon() {
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
  const [asking, setAsking] = useState(false);

  if (!asking) {
    return (
      <button
        type="button"
        aria-label={t("remove", { name })}
        title={t("removeHint")}
        onClick={() => setAsking(true)}
        className="rounded-md p-1.5 text-slate-500 hover:bg-red-50 hover:text-red-700 dark:text-slate-400 dark:hover:bg-red-950 dark:hover:text-red-300"
      >
        <TrashIcon />
      </button>
    );
  }
  return (
    <ConfirmInline
      label={t("removeAsk", { name })}
      question={t("removeForEveryone")}
      confirm={t("removeButton")}
      busyLabel={t("removing")}
      cancel={t("cancel")}
      errorContext="removeFile"
      onConfirm={onRemove}
      onCancel={() => setAsking(false)}
    />
  );
}
