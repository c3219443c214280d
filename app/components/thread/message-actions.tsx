"use client";

// What can be done to a message: react, reply, copy, link, mark unread, and for its author edit
// in place (Enter saves, Escape cancels) and delete after saying yes. Shown on hover and keyboard
// focus, and on a phone after a long press.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { MAX_BODY_CHARS } from "@/server/protocol/limits";
import { Button } from "../ui/button";
import { ConfirmInline } from "../ui/confirm-inline";
import { useOpensUp } from "../use-opens-up";
import { SmileIcon } from "./reactions";

const ICON = "h-4 w-4";

function PencilIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={ICON} fill="none" stroke="currentColor" strokeWidth="1.7">
      <path d="m12.5 4.5 3 3L7 16H4v-3z" strokeLinejoin="round" />
    </svg>
  );
}

function ReplyIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={ICON} fill="none" stroke="currentColor" strokeWidth="1.7">
      <path d="M8 5 3.5 9.5 8 14" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M4 9.5h7a5 5 0 0 1 5 5V16" strokeLinecap="round" />
    </svg>
  );
}

function DotsIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={ICON} fill="currentColor">
      <circle cx="4.5" cy="10" r="1.5" />
      <circle cx="10" cy="10" r="1.5" />
      <circle cx="15.5" cy="10" r="1.5" />
    </svg>
  );
}

const BUTTON =
  "rounded-md p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100";
const ITEM =
  "block w-full px-3 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none dark:text-slate-200 dark:hover:bg-slate-800 dark:focus:bg-slate-800";

/** What can be done to a message; an action is offered when its handler is given. */
export interface MessageActionHandlers {
  onReact?: () => void;
  onReply?: () => void;
  onEdit?: () => void;
  onDelete?: () => Promise<void>;
  onMarkUnread?: () => Promise<void>;
  onCopyText?: () => void;
  onCopyLink?: () => void;
  /** pins or unpins it (a room's owner and admins) */
  onPin?: () => void;
  /** whether it is pinned now (what onPin does) */
  pinned?: boolean;
}

/**
 * A message's toolbar: react, reply, edit (mine), and a menu with the rest (copy text, copy a
 * link to it, mark unread, delete mine, with the question before deleting). Every item is a
 * button, so the keyboard reaches them all; Escape closes the menu.
 */
export function MessageActions({
  onReact,
  onReply,
  onEdit,
  onDelete,
  onMarkUnread,
  onCopyText,
  onCopyLink,
  onPin,
  pinned = false,
}: MessageActionHandlers) {
  const t = useTranslations("thread");
  const [asking, setAsking] = useState(false);
  const [menu, setMenu] = useState(false);
  const menuBox = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const up = useOpensUp(menuBox, menu);

  useEffect(() => {
    if (!menu) return;
    menuBox.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    const outside = (e: PointerEvent) => {
      if (!menuBox.current?.contains(e.target as Node) && !opener.current?.contains(e.target as Node)) setMenu(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [menu]);

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
  const choose = (action: () => unknown) => () => {
    setMenu(false);
    action();
  };
  const items = [
    onCopyText && { label: t("copyText"), run: onCopyText },
    onCopyLink && { label: t("copyLink"), run: onCopyLink },
    onMarkUnread && { label: t("markUnread"), run: () => void onMarkUnread().catch(() => undefined) },
    onPin && { label: pinned ? t("unpin") : t("pin"), run: onPin },
    onDelete && { label: t("deleteMessage"), run: () => setAsking(true), danger: true },
  ].filter((item) => !!item);

  return (
    <span className="relative flex gap-0.5">
      {onReact && (
        <button type="button" aria-label={t("react")} title={t("react")} onClick={onReact} className={BUTTON}>
          <SmileIcon />
        </button>
      )}
      {onReply && (
        <button type="button" aria-label={t("reply")} title={t("reply")} onClick={onReply} className={BUTTON}>
          <ReplyIcon />
        </button>
      )}
      {onEdit && (
        <button type="button" aria-label={t("editMessage")} title={t("editMessage")} onClick={onEdit} className={BUTTON}>
          <PencilIcon />
        </button>
      )}
      {items.length > 0 && (
        <button
          ref={opener}
          type="button"
          aria-label={t("moreActions")}
          title={t("moreActions")}
          aria-haspopup="menu"
          aria-expanded={menu}
          onClick={() => setMenu((open) => !open)}
          className={BUTTON}
        >
          <DotsIcon />
        </button>
      )}
      {menu && (
        <div
          ref={menuBox}
          role="menu"
          aria-label={t("messageActions")}
          tabIndex={-1}
          onKeyDown={(e) => {
            const buttons = [...(menuBox.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
            const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
            if (e.key === "Escape") {
              e.preventDefault();
              setMenu(false);
              opener.current?.focus();
            } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              const next = (at + (e.key === "ArrowDown" ? 1 : -1) + buttons.length) % buttons.length;
              buttons[next]?.focus();
            }
          }}
          className={`absolute ${up ? "bottom-8" : "top-8"} right-0 z-20 w-56 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900`}
        >
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              onClick={choose(item.run)}
              className={`${ITEM} ${"danger" in item ? "text-red-700 dark:text-red-300" : ""}`}
            >
              {item.label}
            </button>
          ))}
        </div>
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
