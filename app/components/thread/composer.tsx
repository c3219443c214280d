"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { readStored, writeStored } from "@/app/lib/stored";
import type { ReplyQuote } from "@/server/protocol";
import { findMentions } from "@/server/protocol/mentions";
import { type Mentionable, MentionList, type MentionOption, mentionAt, mentionOptions } from "./mention-picker";

const MAX = 4000;
/** Rooms larger than this ask before an @room or @here goes out. */
const GROUP_CONFIRM_ABOVE = 5;

export function Composer({
  disabled,
  placeholder,
  onSend,
  onAttach,
  onEditLast,
  onType,
  typing,
  replyingTo = null,
  onCancelReply,
  draftKey,
  people = [],
  me = "",
}: {
  disabled: boolean;
  placeholder: string;
  onSend: (body: string) => void;
  /** files picked with the attach button or pasted into the box */
  onAttach: (files: File[]) => void;
  /** Up arrow in an empty box: edit my last message */
  onEditLast: () => void;
  /** a key that changes the text was typed */
  onType: () => void;
  /** who else is typing, shown above the box */
  typing?: React.ReactNode;
  /** the message the next send answers, shown above the box */
  replyingTo?: ReplyQuote | null;
  onCancelReply?: () => void;
  /** where this thread's half-typed message is kept in the browser, across reloads */
  draftKey: string;
  /** who "@" offers (a room's members); none in a conversation */
  people?: Mentionable[];
  /** my id (not offered) */
  me?: string;
}) {
  const t = useTranslations("composer");
  const tt = useTranslations("thread");
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const tooLong = text.trim().length > MAX;

  // the draft of this thread: back after a reload, kept as it is typed, gone once sent
  useEffect(() => {
    setText(readStored(draftKey, ""));
  }, [draftKey]);
  const edit = (value: string) => {
    setText(value);
    writeStored(draftKey, value.trim() === "" ? null : value);
  };

  // starting a reply is starting to type it
  const replyId = replyingTo?.id;
  useEffect(() => {
    if (replyId) input.current?.focus();
  }, [replyId]);

  // "@" offers people; the caret says which mention is being typed
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  /** where the @ of a mention the list was put away for (Escape) is */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const typed = people.length > 0 ? mentionAt(text, caret) : null;
  const options = typed && typed.start !== dismissed ? mentionOptions(typed.query, people, me) : [];
  const picking = options.length > 0;
  const chosen = Math.min(active, options.length - 1);
  const trackCaret = () => setCaret(input.current?.selectionStart ?? 0);
  function choose(option: MentionOption) {
    if (!typed) return;
    const inserted = `@${option.name} `;
    const next = text.slice(0, typed.start) + inserted + text.slice(caret).replace(/^ /, "");
    edit(next);
    const at = typed.start + inserted.length;
    setCaret(at);
    setActive(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  }

  // @room and @here reach everyone: in a room of more than five, sending one asks first
  const [confirming, setConfirming] = useState<string | null>(null);
  function send(confirmed = false) {
    const body = text.trim();
    if (!body || tooLong || disabled) return;
    const group = findMentions(body, []);
    if (!confirmed && (group.room || group.here) && people.length > GROUP_CONFIRM_ABOVE) {
      setConfirming(group.room ? "room" : "here");
      return;
    }
    setConfirming(null);
    onSend(body);
    edit("");
    input.current?.focus();
  }

  return (
    <form
      className="border-t border-slate-200 bg-white px-3 pt-1 pb-3 sm:px-5 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {typing}
      {replyingTo && (
        <div
          data-testid="replying-to"
          className="mb-1.5 flex items-center gap-2 rounded-lg border-l-2 border-brand-500 bg-slate-100 py-1 pr-1 pl-2 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300"
        >
          <span className="shrink-0">
            {tt.rich("replyingTo", {
              username: replyingTo.author.username,
              name: (chunks) => (
                <b translate="no" className="font-semibold">
                  {chunks}
                </b>
              ),
            })}
          </span>
          <span translate="no" className="min-w-0 flex-1 truncate text-slate-500 dark:text-slate-400">
            {replyingTo.excerpt || tt("originalFile")}
          </span>
          <button
            type="button"
            onClick={onCancelReply}
            aria-label={tt("cancelReply")}
            title={tt("cancelReply")}
            className="grid h-6 w-6 shrink-0 place-items-center rounded-md hover:bg-slate-200 dark:hover:bg-slate-700"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="m5 5 10 10M15 5 5 15" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      )}
      {confirming && (
        <div
          role="alert"
          className="mb-1.5 flex flex-wrap items-center gap-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <span className="min-w-0 flex-1">
            {confirming === "room" ? t("confirmRoom", { count: people.length }) : t("confirmHere", { count: people.length })}
          </span>
          <button
            type="button"
            onClick={() => send(true)}
            className="rounded-md bg-brand-600 px-3 py-1 text-sm font-medium text-white hover:bg-brand-700"
          >
            {t("confirmSend")}
          </button>
          <button
            type="button"
            onClick={() => {
              setConfirming(null);
              input.current?.focus();
            }}
            className="rounded-md px-3 py-1 text-sm hover:bg-amber-100 dark:hover:bg-amber-900/40"
          >
            {t("confirmCancel")}
          </button>
        </div>
      )}
      <div className="relative flex items-end gap-2">
        {picking && <MentionList id={listId} options={options} active={chosen} onChoose={choose} onHover={setActive} />}
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label={t("files")}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = "";
            if (files.length > 0) onAttach(files);
            input.current?.focus();
          }}
        />
        <button
          type="button"
          disabled={disabled}
          onClick={() => picker.current?.click()}
          title={t("attachHint")}
          aria-label={t("attach")}
          className="grid h-10 w-10 shrink-0 place-items-center rounded-xl border border-slate-300 text-slate-600 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.7">
            <path
              d="M16.5 9.5 10 16a4.24 4.24 0 0 1-6-6l7-7a2.83 2.83 0 0 1 4 4l-7 7a1.41 1.41 0 0 1-2-2l6.5-6.5"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <label htmlFor="composer" className="sr-only">
          {t("message")}
        </label>
        <textarea
          id="composer"
          ref={input}
          rows={1}
          // biome-ignore lint/a11y/noAutofocus: entering a room is entering its conversation; the composer is where the reader types next
          autoFocus
          value={text}
          placeholder={placeholder}
          title={t("keys")}
          onChange={(e) => {
            edit(e.target.value);
            setCaret(e.target.selectionStart);
            setActive(0);
            setConfirming(null);
            if (e.target.value.trim() !== "") onType();
          }}
          onSelect={trackCaret}
          aria-autocomplete={people.length > 0 ? "list" : undefined}
          aria-controls={picking ? listId : undefined}
          aria-activedescendant={picking ? `${listId}-${chosen}` : undefined}
          onPaste={(e) => {
            const files = Array.from(e.clipboardData.files);
            if (files.length === 0 || disabled) return;
            e.preventDefault();
            onAttach(files);
          }}
          onKeyDown={(e) => {
            if (picking && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
              e.preventDefault();
              setActive((chosen + (e.key === "ArrowDown" ? 1 : -1) + options.length) % options.length);
            } else if (picking && (e.key === "Enter" || e.key === "Tab") && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              choose(options[chosen]);
            } else if (picking && e.key === "Escape") {
              e.preventDefault();
              setDismissed(typed?.start ?? null);
            } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            } else if (e.key === "Escape" && confirming) {
              e.preventDefault();
              setConfirming(null);
            } else if (e.key === "Escape" && replyingTo) {
              e.preventDefault();
              onCancelReply?.();
            } else if (e.key === "ArrowUp" && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && text === "" && !disabled) {
              e.preventDefault();
              onEditLast();
            }
          }}
          className="max-h-48 min-h-10 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3 py-2 text-[15px] text-slate-900 placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
          style={{ height: `${Math.min(12, Math.max(1, text.split("\n").length)) * 1.5 + 1}rem` }}
        />
        <button
          type="submit"
          disabled={disabled || !text.trim() || tooLong}
          className="h-10 rounded-xl bg-brand-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-brand-700 disabled:opacity-50"
        >
          {t("send")}
        </button>
      </div>
      {tooLong && (
        <p className="mt-1 text-xs text-red-700 dark:text-red-300">
          {t("tooLong", { over: text.trim().length - MAX, max: MAX })}
        </p>
      )}
    </form>
  );
}
