"use client";

import { useRef, useState } from "react";

const MAX = 4000;

export function Composer({
  disabled,
  placeholder,
  onSend,
}: {
  disabled: boolean;
  placeholder: string;
  onSend: (body: string) => void;
}) {
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const tooLong = text.trim().length > MAX;

  function send() {
    const body = text.trim();
    if (!body || tooLong || disabled) return;
    onSend(body);
    setText("");
    input.current?.focus();
  }

  return (
    <form
      className="border-t border-slate-200 bg-white p-3 sm:px-5 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div className="flex items-end gap-2">
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          ref={input}
          rows={1}
          // biome-ignore lint/a11y/noAutofocus: entering a room is entering its conversation; the composer is where the reader types next
          autoFocus
          value={text}
          placeholder={placeholder}
          title="Enter sends, Shift+Enter starts a new line"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
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
          Send
        </button>
      </div>
      {tooLong && (
        <p className="mt-1 text-xs text-red-700 dark:text-red-300">{text.trim().length - MAX} characters over the 4000 limit.</p>
      )}
    </form>
  );
}
