"use client";

// What the author can do to a message of theirs: edit it in place (Enter saves, Escape cancels)
// and delete it after saying yes. Shown on hover and keyboard focus, always on touch screens.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { MAX_BODY_CHARS } from "@/server/protocol/limits";
import { TrashIcon } from "../files/remove-file";
import { Button } from "../ui/button";
import { ConfirmInline } from "../ui/confirm-inline";

const ICON = "h-4 w-4";

function UnreadIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={ICON} fill="none" stroke="currentColor" strokeWidth="1.7">
      <path d="M3.5 5.5h13v9h-13z" strokeLinejoin="round" />
      <path d="m3.5 6 6.5 5 6.5-5" strokeLinejoin="round" />
      <circle cx="16" cy="4.5" r="2.2" fill="currentColor" stroke="none" />
    </svg>
  );
}

function PencilIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={ICON} fill="none" stroke="currentColor" strokeWidth="1.7">
      <path d="m12.5 4.5 3 3L7 16H4v-3z" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * A message's actions: mark as unread (from here on), and for my own, edit and delete (with the
 * question before deleting).
 */
export function MessageActions({
  onEdit,
  onDelete,
  onMarkUnread,
}: {
  onEdit?: () => void;
  onDelete?: () => Promise<void>;
  onMarkUnread?: () => Promise<void>;
}) {
  const t = useTranslations("thread");
  const [asking, setAsking] = useState(false);
  const button =
    "rounded-md p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100";

  if (asking && onDelete) {
    return (
      <ConfirmInline
        label={t("deleteAsk")}
        question={t("deleteAsk")}
        confirm={t("delete")}
        busyLabel={t("deleting")}
        cancel={t("cancel")}
        errorContext="change"
        onConfirm={onDelete}
        onCancel={() => setAsking(false)}
        className="px-1.5 py-1"
      />
    );
  }
  return (
    <span className="flex gap-0.5">
      {onMarkUnread && (
        <button
          type="button"
          aria-label={t("markUnread")}
          title={t("markUnread")}
          onClick={() => void onMarkUnread().catch(() => undefined)}
          className={button}
        >
          <UnreadIcon />
        </button>
      )}
      {onEdit && (
        <button type="button" aria-label={t("editMessage")} title={t("editMessage")} onClick={onEdit} className={button}>
          <PencilIcon />
        </button>
      )}
      {onDelete && (
        <button
          type="button"
          aria-label={t("deleteMessage")}
          title={t("deleteMessage")}
          onClick={() => setAsking(true)}
          className={button}
        >
          <TrashIcon />
        </button>
      )}
    </span>
  );
}

/** A message's text being edited: Enter saves, Shift+Enter adds a line, Escape cancels. */
export function MessageEditor({
  body,
  onSave,
  onCancel,
}: {
  body: string;
  onSave: (body: string) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useTranslations("thread");
  const say = useProblemText();
  const [text, setText] = useState(body);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_BODY_CHARS;

  async function save() {
    if (busy || !trimmed || tooLong) return;
    if (trimmed === body.trim()) return onCancel();
    setBusy(true);
    setError(null);
    try {
      await onSave(trimmed);
    } catch (failure) {
      setError(problemOf(failure));
      setBusy(false);
    }
  }

  return (
    <div className="mt-1">
      <label className="sr-only" htmlFor="message-editor">
        {t("editing")}
      </label>
      <textarea
        id="message-editor"
        ref={box}
        value={text}
        disabled={busy}
        rows={Math.min(8, Math.max(1, text.split("\n").length))}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void save();
          }
        }}
        className="w-full resize-none rounded-lg border border-brand-500 bg-white px-3 py-2 text-[15px] text-slate-900 focus:outline-none focus:ring-2 focus:ring-brand-500/30 dark:bg-slate-950 dark:text-slate-100"
      />
      <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
        <span>{t("editKeys")}</span>
        <Button size="xs" onClick={() => void save()} disabled={busy || !trimmed || tooLong}>
          {t("save")}
        </Button>
        <Button variant="ghost" size="xs" onClick={onCancel} disabled={busy}>
          {t("cancel")}
        </Button>
        {error && (
          <span role="alert" className="basis-full text-red-700 dark:text-red-300">
            {say(error, "change")}
          </span>
        )}
      </p>
    </div>
  );
}
