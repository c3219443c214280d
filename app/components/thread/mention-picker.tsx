"use client";

// Typing "@" in the composer offers the room's members (those whose name starts with what follows
// first, then those containing it; online before offline), and @room and @here; the arrow keys
// move, Enter or Tab puts "@name " in, Escape puts the list away.
import { useTranslations } from "next-intl";
import { isNameChar } from "@/server/protocol/mentions";

export interface Mentionable {
  id: string;
  username: string;
  online: boolean;
}

export interface MentionOption {
  key: string;
  /** what goes in after the @ */
  name: string;
  /** a person (with presence), or a group */
  person?: Mentionable;
}

const LIMIT = 8;

/** The mention being typed where the caret is: where its @ is, and what follows it so far. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  let start = caret;
  while (start > 0 && isNameChar(text[start - 1])) start--;
  if (start === 0 || text[start - 1] !== "@") return null;
  const before = text[start - 2];
  // an @ that starts a word (not an e-mail address)
  if (before !== undefined && (isNameChar(before) || before === "@")) return null;
  return { start: start - 1, query: text.slice(start, caret).toLowerCase() };
}

/** What to offer for `query`: people (not me), best first, then @room and @here. */
export function mentionOptions(query: string, people: Mentionable[], me: string): MentionOption[] {
  const rank = (p: Mentionable) => {
    const name = p.username.toLowerCase();
    return name.startsWith(query) ? 0 : name.includes(query) ? 1 : 2;
  };
  const found = people
    .filter((p) => p.id !== me && rank(p) < 2)
    .sort((a, b) => rank(a) - rank(b) || Number(b.online) - Number(a.online) || a.username.localeCompare(b.username))
    .slice(0, LIMIT)
    .map((p) => ({ key: p.id, name: p.username, person: p }));
  const groups = ["here", "room"].filter((g) => g.startsWith(query)).map((g) => ({ key: `group:${g}`, name: g }));
  return [...found, ...groups];
}

/** The list above the composer, for the field's aria-activedescendant. */
export function MentionList({
  id,
  options,
  active,
  onChoose,
  onHover,
}: {
  id: string;
  options: MentionOption[];
  active: number;
  onChoose: (option: MentionOption) => void;
  onHover: (index: number) => void;
}) {
  const t = useTranslations("mentions");
  return (
    <div
      id={id}
      role="listbox"
      aria-label={t("label")}
      className="absolute right-0 bottom-full left-0 z-20 mb-1 max-h-72 overflow-y-auto rounded-xl border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      {options.map((o, i) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works from the message field (aria-activedescendant)
        <div
          key={o.key}
          id={`${id}-${i}`}
          role="option"
          tabIndex={-1}
          aria-selected={i === active}
          // keep the focus in the field
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onChoose(o)}
          onMouseMove={() => onHover(i)}
          className={`flex cursor-pointer items-center gap-2 rounded-lg px-3 py-1.5 text-sm ${i === active ? "bg-brand-50 dark:bg-brand-500/20" : ""}`}
        >
          {o.person ? (
            <>
              <span
                aria-hidden="true"
                className={`h-2 w-2 shrink-0 rounded-full ${o.person.online ? "bg-emerald-500" : "bg-slate-300 dark:bg-slate-600"}`}
              />
              <span translate="no" className="font-medium">
                {o.person.username}
              </span>
              <span className="text-xs text-slate-600 dark:text-slate-400">{o.person.online ? t("online") : t("offline")}</span>
            </>
          ) : (
            <>
              <span className="font-medium">@{o.name}</span>
              <span className="text-xs text-slate-600 dark:text-slate-400">{o.name === "room" ? t("room") : t("here")}</span>
            </>
          )}
        </div>
      ))}
    </div>
  );
}
