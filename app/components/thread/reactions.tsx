"use client";

// Reactions under a message (click one to add yours or take it back; hover or focus says who),
// and the picker: a quick bar of recent emoji over the full picker, which loads when opened.
import { useTranslations } from "next-intl";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { recentEmoji, rememberEmoji } from "@/app/lib/recent-emoji";
import type { Reaction } from "@/server/protocol";
import { useOpensUp } from "../use-opens-up";

const FullEmojiPicker = lazy(() => import("./emoji-picker"));

export function SmileIcon({ className = "h-4 w-4" }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={className} fill="none" stroke="currentColor" strokeWidth="1.7">
      <circle cx="10" cy="10" r="7" />
      <path d="M7 11.5a3.5 3.5 0 0 0 6 0" strokeLinecap="round" />
      <path d="M7.5 8h.01M12.5 8h.01" strokeLinecap="round" strokeWidth="2.2" />
    </svg>
  );
}

/** "alice, bob and 3 more" */
function names(reaction: Reaction, me: string, you: string): string {
  const shown = reaction.users.slice(0, 8).map((u) => (u.id === me ? you : u.username));
  const more = reaction.count - shown.length;
  return more > 0 ? `${shown.join(", ")} +${more}` : shown.join(", ");
}

export function ReactionBar({
  reactions,
  me,
  onToggle,
  onAdd,
}: {
  reactions: Reaction[];
  me: string;
  onToggle: (emoji: string, add: boolean) => void;
  /** opens the picker to add another */
  onAdd: () => void;
}) {
  const t = useTranslations("thread");
  const you = t("you");
  if (reactions.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap items-center gap-1" data-testid="reactions">
      {reactions.map((r) => {
        const mine = r.users.some((u) => u.id === me);
        const who = t("reactedWith", { names: names(r, me, you), emoji: r.emoji });
        return (
          <li key={r.emoji}>
            <button
              type="button"
              aria-pressed={mine}
              aria-label={`${t("reactionToggle", { emoji: r.emoji, count: r.count, mine: String(mine) })} ${who}`}
              title={who}
              onClick={() => onToggle(r.emoji, !mine)}
              className={`flex h-6 items-center gap-1 rounded-full border px-2 text-xs ${
                mine
                  ? "border-brand-500 bg-brand-50 text-brand-700 dark:border-brand-500 dark:bg-brand-500/20 dark:text-brand-100"
                  : "border-slate-300 bg-white text-slate-700 hover:border-slate-400 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
              }`}
            >
              <span translate="no" className="text-sm leading-none">
                {r.emoji}
              </span>
              <span className="tabular-nums">{r.count}</span>
            </button>
          </li>
        );
      })}
      <li>
        <button
          type="button"
          aria-label={t("react")}
          title={t("react")}
          onClick={onAdd}
          className="grid h-6 w-7 place-items-center rounded-full border border-slate-300 text-slate-500 hover:border-slate-400 hover:text-slate-700 dark:border-slate-700 dark:text-slate-400"
        >
          <SmileIcon className="h-3.5 w-3.5" />
        </button>
      </li>
    </ul>
  );
}

/**
 * A popover to pick an emoji: the recent ones at once, the full picker below (loaded on first
 * use). Escape or a click outside closes it. On a phone it is a sheet at the bottom.
 */
export function ReactionPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const t = useTranslations("thread");
  const box = useRef<HTMLDivElement>(null);
  const [recent] = useState(recentEmoji);
  const [full, setFull] = useState(false);
  const up = useOpensUp(box, full ? "full" : "quick");
  const pick = (emoji: string) => {
    rememberEmoji(emoji);
    onPick(emoji);
    onClose();
  };

  useEffect(() => {
    const outside = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) onClose();
    };
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      // taken here: the room behind does not also mark itself read
      e.preventDefault();
      onClose();
    };
    document.addEventListener("pointerdown", outside);
    document.addEventListener("keydown", onEscape);
    box.current?.querySelector("button")?.focus();
    return () => {
      document.removeEventListener("pointerdown", outside);
      document.removeEventListener("keydown", onEscape);
    };
  }, [onClose]);

  return (
    <div
      ref={box}
      role="dialog"
      aria-label={t("emojiPicker")}
      className={`fixed inset-x-2 bottom-2 z-30 rounded-xl border border-slate-200 bg-white shadow-lg sm:absolute sm:inset-x-auto sm:right-0 sm:w-80 dark:border-slate-700 dark:bg-slate-900 ${
        up ? "sm:top-auto sm:bottom-8" : "sm:top-8 sm:bottom-auto"
      }`}
    >
      <div className="flex flex-wrap gap-0.5 border-b border-slate-200 p-1.5 dark:border-slate-700">
        {recent.map((emoji) => (
          <button
            key={emoji}
            type="button"
            onClick={() => pick(emoji)}
            aria-label={emoji}
            className="grid size-9 place-items-center rounded-md text-xl hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            {emoji}
          </button>
        ))}
      </div>
      {full ? (
        <Suspense fallback={<p className="grid h-72 place-items-center text-sm text-slate-500">{t("loadingEmoji")}</p>}>
          <FullEmojiPicker onPick={pick} />
        </Suspense>
      ) : (
        <button
          type="button"
          onClick={() => setFull(true)}
          className="w-full rounded-b-xl px-3 py-2 text-left text-sm text-brand-600 hover:bg-slate-50 dark:text-brand-100 dark:hover:bg-slate-800"
        >
          {t("moreEmoji")}
        </button>
      )}
    </div>
  );
}
