"use client";

// Ctrl+K / Cmd+K: type a few letters of a room or a person, Enter, and you are there. My rooms
// and conversations are matched as I type (letters in order, anywhere: "gnrl" finds general);
// rooms I am not in and people I have not talked to come from the server as the typing settles.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useState } from "react";
import { fuzzyMatch } from "@/app/lib/fuzzy";
import { searchHref } from "@/app/lib/search-href";
import { request } from "@/server/protocol/request";
import { Avatar } from "../avatar";
import { Dialog } from "../ui/dialog";
import { useSettled } from "../use-settled";
import type { ChatSocket } from "../use-socket";
import type { Place } from "./use-places";

interface Choice {
  key: string;
  href: string;
  /** what the letters are matched against and shown */
  name: string;
  kind: "room" | "conversation" | "person" | "search";
  unread: number;
  online?: boolean;
  userId?: string;
  positions: number[];
  score: number;
}

const FOUND_LIMIT = 8;

export function Magnifier({ className = "h-4 w-4" }: { className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      className={`${className} shrink-0`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
    >
      <circle cx="8.5" cy="8.5" r="5.5" />
      <path d="m13 13 4 4" strokeLinecap="round" />
    </svg>
  );
}

/** `name` with the matched letters in bold. */
function Marked({ name, positions }: { name: string; positions: number[] }) {
  const marked = new Set(positions);
  return (
    <span translate="no" className="truncate">
      {Array.from(name).map((ch, i) =>
        marked.has(i) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: characters of a fixed string
          <b key={i} className="font-bold text-brand-700 dark:text-brand-100">
            {ch}
          </b>
        ) : (
          ch
        ),
      )}
    </span>
  );
}

export function QuickSwitcher({
  socket,
  me,
  places,
  onClose,
}: {
  socket: ChatSocket | null;
  me: { id: string; username: string };
  places: Place[];
  onClose(): void;
}) {
  const t = useTranslations("switcher");
  const router = useRouter();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const settled = useSettled(query.trim(), 150);
  type Found = Omit<Choice, "positions" | "score">;
  const [found, setFound] = useState<{ query: string; rooms: Found[]; people: Found[] }>({ query: "", rooms: [], people: [] });

  useEffect(() => {
    if (!socket || settled === "") return;
    let current = true;
    const rooms = request(socket, "room:list", { query: settled.slice(0, 64), limit: FOUND_LIMIT }).then(({ rooms }) =>
      rooms.map((r) => ({ key: `room:${r.id}`, href: `/rooms/${r.id}`, name: r.name, kind: "room" as const, unread: 0 })),
    );
    const people = request(socket, "user:search", { query: settled.slice(0, 32), limit: FOUND_LIMIT }).then(({ users }) =>
      users
        .filter((u) => u.id !== me.id)
        .map((u) => ({
          key: `person:${u.id}`,
          href: `/messages/${encodeURIComponent(u.username)}`,
          name: u.username,
          kind: "person" as const,
          unread: 0,
          online: u.online,
          userId: u.id,
        })),
    );
    Promise.all([rooms.catch(() => []), people.catch(() => [])]).then(([r, p]) => {
      if (current) setFound({ query: settled, rooms: r, people: p });
    });
    return () => {
      current = false;
    };
  }, [socket, settled, me.id]);

  const choices = useMemo(() => {
    const q = query.trim();
    const mine: Choice[] = places.flatMap((p) => {
      const match = fuzzyMatch(q, p.name);
      return match
        ? [{ key: p.key, href: p.href, name: p.name, kind: p.kind, unread: p.unread, userId: p.userId, ...match }]
        : [];
    });
    if (q === "") return mine.filter((c) => !places.find((p) => p.key === c.key)?.current);
    mine.sort((a, b) => b.score - a.score);
    // what the server found beside mine, for what is typed now (an older answer still narrows)
    const known = new Set(mine.map((c) => c.href.toLowerCase()));
    const fresh = (list: Found[]): Choice[] =>
      list.flatMap((c) => {
        const match = known.has(c.href.toLowerCase()) ? null : fuzzyMatch(q, c.name);
        return match ? [{ ...c, ...match }] : [];
      });
    const places_ = [...mine, ...fresh(found.rooms), ...fresh(found.people)];
    // and the messages: here (the room or conversation open now), and everywhere
    const here = places.find((p) => p.current);
    const search = (key: string, name: string, where: { room: string | null; with: string | null }): Choice => ({
      key,
      href: searchHref({ q, ...where, all: false, order: "newest" }),
      name,
      kind: "search",
      unread: 0,
      positions: [],
      score: 0,
    });
    const searches = [
      ...(here
        ? [
            search(
              "search:here",
              t("searchHere", { query: q, place: here.kind === "room" ? `#${here.name}` : t("withPerson", { name: here.name }) }),
              here.kind === "room" ? { room: here.key, with: null } : { room: null, with: here.name },
            ),
          ]
        : []),
      search("search:all", t("searchEverywhere", { query: q }), { room: null, with: null }),
    ];
    // a query with a filter, a phrase or several words is a search; a name alone, a place first
    return places_.length === 0 || /"|«|“|\s|^\w+:/.test(q) ? [...searches, ...places_] : [...places_, ...searches];
  }, [query, places, found, t]);
  const chosen = choices[Math.min(active, choices.length - 1)];

  const go = (choice: Choice | undefined) => {
    if (!choice) return;
    onClose();
    router.push(choice.href);
  };
  const kindLabel = (c: Choice) =>
    c.kind === "search"
      ? t("search")
      : c.kind === "room"
        ? places.some((p) => p.key === c.key)
          ? t("room")
          : t("joinRoom")
        : c.kind === "conversation"
          ? t("conversation")
          : t("person");

  return (
    <Dialog label={t("label")} onClose={onClose} className="mt-[12vh] mb-auto w-[min(36rem,calc(100vw-2rem))]">
      <div className="border-b border-slate-200 p-3 dark:border-slate-700">
        <input
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={chosen ? `${listId}-${chosen.key}` : undefined}
          aria-label={t("label")}
          placeholder={t("placeholder")}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              if (choices.length === 0) return;
              const at = Math.min(active, choices.length - 1);
              setActive((at + (e.key === "ArrowDown" ? 1 : -1) + choices.length) % choices.length);
            } else if (e.key === "Enter") {
              e.preventDefault();
              go(chosen);
            }
          }}
          className="w-full bg-transparent px-2 py-1.5 text-lg text-slate-900 placeholder:text-slate-500 focus:outline-none dark:text-slate-100 dark:placeholder:text-slate-400"
        />
      </div>
      {choices.length === 0 && (
        <p role="status" className="px-3 py-6 text-center text-sm text-slate-600 dark:text-slate-400">
          {query.trim() && found.query !== query.trim() ? t("searching") : t("nothing")}
        </p>
      )}
      <div id={listId} role="listbox" aria-label={t("results")} className="max-h-[50vh] overflow-y-auto p-2 empty:hidden">
        {choices.map((c) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works from the field (aria-activedescendant)
          <div
            key={c.key}
            tabIndex={-1}
            id={`${listId}-${c.key}`}
            role="option"
            aria-selected={c === chosen}
            onClick={() => go(c)}
            onMouseMove={() => setActive(choices.indexOf(c))}
            className={`flex cursor-pointer items-center gap-3 rounded-lg px-3 py-2 ${c === chosen ? "bg-brand-50 dark:bg-brand-500/20" : ""}`}
          >
            {c.kind === "room" || c.kind === "search" ? (
              <span
                aria-hidden="true"
                className="grid h-8 w-8 shrink-0 place-items-center rounded-lg bg-slate-100 font-semibold text-slate-700 dark:bg-slate-800 dark:text-slate-200"
              >
                {c.kind === "room" ? "#" : <Magnifier />}
              </span>
            ) : (
              <Avatar id={c.userId ?? c.key} name={c.name} person={c.userId !== undefined} />
            )}
            <span className="flex min-w-0 flex-1 items-baseline gap-2">
              <Marked name={c.name} positions={c.positions} />
              {c.online && <span className="text-xs text-emerald-700 dark:text-emerald-400">{t("online")}</span>}
            </span>
            {c.unread > 0 && (
              <span className="shrink-0 rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white">
                <span aria-hidden="true">{c.unread}</span>
                <span className="sr-only">{t("unread", { count: c.unread })}</span>
              </span>
            )}
            <span className="shrink-0 text-xs text-slate-600 dark:text-slate-400">{kindLabel(c)}</span>
          </div>
        ))}
      </div>
      <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400">
        {t("hint")}
      </p>
    </Dialog>
  );
}
