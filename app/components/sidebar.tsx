"use client";

// The desktop sidebar: my rooms and my conversations, each with what I have not read, the one on
// screen marked, sorted by activity (unread first) or by name as I choose, each section folding
// away. It stays current live: new messages, read marks, rooms made, left or deleted.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { readStored, writeStored } from "@/app/lib/stored";
import { afterMessage } from "@/app/lib/unread";
import type { ConversationSummary, RoomSummary } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { useLiveQuery, useSocketEvent } from "./use-live";
import type { ChatSocket } from "./use-socket";

type Sort = "activity" | "name";
const SORT_KEY = "komnata-sidebar-sort";
const FOLDED_KEY = "komnata-sidebar-folded";

/** Where the person is: a room, or a conversation (by the other person's name). */
export type Here = { roomId: string } | { username: string } | null;

interface Entry {
  key: string;
  href: string;
  label: string;
  unread: number;
  at: string;
  current: boolean;
}

function ordered(entries: Entry[], sort: Sort): Entry[] {
  return [...entries].sort((a, b) =>
    sort === "name"
      ? a.label.localeCompare(b.label)
      : Number(b.unread > 0) - Number(a.unread > 0) || b.at.localeCompare(a.at) || a.label.localeCompare(b.label),
  );
}

function Section({
  id,
  title,
  entries,
  folded,
  onFold,
}: {
  id: string;
  title: string;
  entries: Entry[];
  folded: boolean;
  onFold: (folded: boolean) => void;
}) {
  const t = useTranslations("sidebar");
  return (
    <section aria-labelledby={`${id}-heading`} className="mt-3">
      <h2 id={`${id}-heading`}>
        <button
          type="button"
          aria-expanded={!folded}
          onClick={() => onFold(!folded)}
          className="flex w-full items-center gap-1 rounded px-2 py-1 text-xs font-semibold uppercase tracking-wide text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-100"
        >
          <span aria-hidden="true" className={`inline-block transition-transform ${folded ? "-rotate-90" : ""}`}>
            ▾
          </span>
          {title}
        </button>
      </h2>
      {!folded && (
        <ul aria-label={title} className="mt-0.5 space-y-px">
          {entries.length === 0 && <li className="px-2 py-1 text-xs text-slate-500 dark:text-slate-400">{t("none")}</li>}
          {entries.map((e) => (
            <li key={e.key}>
              <Link
                href={e.href}
                aria-current={e.current ? "page" : undefined}
                className={`flex items-center gap-2 rounded-md px-2 py-1 text-sm ${
                  e.current
                    ? "bg-brand-600 text-white"
                    : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                <span translate="no" className={`min-w-0 flex-1 truncate ${e.unread > 0 && !e.current ? "font-semibold" : ""}`}>
                  {e.label}
                </span>
                {e.unread > 0 && (
                  <span
                    className={`shrink-0 rounded-full px-1.5 text-xs font-semibold ${e.current ? "bg-white/25" : "bg-brand-600 text-white"}`}
                  >
                    <span aria-hidden="true">{e.unread}</span>
                    <span className="sr-only">{t("unread", { count: e.unread })}</span>
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Sidebar({ socket, me, here }: { socket: ChatSocket | null; me: { id: string; username: string }; here: Here }) {
  const t = useTranslations("sidebar");
  const [sort, setSort] = useState<Sort>("activity");
  const [folded, setFolded] = useState<Record<string, boolean>>({});
  useEffect(() => {
    setSort(readStored<Sort>(SORT_KEY, "activity"));
    setFolded(readStored<Record<string, boolean>>(FOLDED_KEY, {}));
  }, []);
  const fold = (id: string) => (value: boolean) => {
    const next = { ...folded, [id]: value };
    setFolded(next);
    writeStored(FOLDED_KEY, next);
  };

  const rooms = useLiveQuery(socket, async (s) => (await request(s, "room:mine", {})).rooms, {
    refreshOn: {
      "room:member-joined": (e) => e.member.id === me.id,
      "room:member-left": (e) => e.userId === me.id,
      "room:created": (room) => room.createdBy === me.id,
    },
  });
  // a message in a conversation not listed yet (a new one) asks for the list again
  const known = useRef(new Set<string>());
  const conversations = useLiveQuery(socket, async (s) => (await request(s, "dm:list", {})).conversations, {
    refreshOn: { "dm:new": (m) => !known.current.has(m.conversationId) },
  });
  useEffect(() => {
    known.current = new Set((conversations.data ?? []).map((c) => c.id));
  }, [conversations.data]);
  const setRoom = (roomId: string, change: (r: RoomSummary) => RoomSummary) =>
    rooms.setData((list) => list?.map((r) => (r.id === roomId ? change(r) : r)) ?? null);
  const setConversation = (id: string, change: (c: ConversationSummary) => ConversationSummary) =>
    conversations.setData((list) => list?.map((c) => (c.id === id ? change(c) : c)) ?? null);
  useSocketEvent(socket, "message:new", (m) => setRoom(m.roomId, (r) => afterMessage(r, m, me.id)));
  useSocketEvent(socket, "room:read", (e) => setRoom(e.roomId, (r) => ({ ...r, unread: e.unread, lastReadSeq: e.lastReadSeq })));
  useSocketEvent(socket, "room:deleted", (e) => rooms.setData((list) => list?.filter((r) => r.id !== e.roomId) ?? null));
  useSocketEvent(socket, "dm:new", (m) =>
    setConversation(m.conversationId, (c) => ({
      ...c,
      lastMessageAt: m.createdAt,
      lastSeq: m.seq,
      unread: m.author.id === me.id ? 0 : c.unread + 1,
    })),
  );
  useSocketEvent(socket, "dm:read", (e) => setConversation(e.conversationId, (c) => ({ ...c, unread: e.unread })));

  const roomEntries = ordered(
    (rooms.data ?? []).map((r) => ({
      key: r.id,
      href: `/rooms/${r.id}`,
      label: `# ${r.name}`,
      unread: r.unread ?? 0,
      at: r.lastMessageAt ?? r.createdAt,
      current: here !== null && "roomId" in here && here.roomId === r.id,
    })),
    sort,
  );
  const conversationEntries = ordered(
    (conversations.data ?? []).map((c) => ({
      key: c.id,
      href: `/messages/${encodeURIComponent(c.with.username)}`,
      label: `@${c.with.username}`,
      unread: c.unread,
      at: c.lastMessageAt ?? "",
      current: here !== null && "username" in here && here.username.toLowerCase() === c.with.username.toLowerCase(),
    })),
    sort,
  );

  return (
    <nav
      aria-label={t("label")}
      className="hidden w-60 shrink-0 flex-col overflow-y-auto border-r border-slate-200 bg-slate-100/60 px-2 pb-4 lg:flex dark:border-slate-800 dark:bg-slate-900/60"
    >
      <div className="mt-3 flex items-center justify-between gap-2 px-2">
        <Link href="/" className="text-sm font-medium text-slate-700 hover:underline dark:text-slate-200">
          {t("lobby")}
        </Link>
        <button
          type="button"
          onClick={() => {
            const next = sort === "activity" ? "name" : "activity";
            setSort(next);
            writeStored(SORT_KEY, next);
          }}
          title={t("sortHint")}
          className="rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-200 dark:text-slate-400 dark:hover:bg-slate-800"
        >
          {sort === "activity" ? t("byActivity") : t("byName")}
        </button>
      </div>
      <Section id="sidebar-rooms" title={t("rooms")} entries={roomEntries} folded={!!folded.rooms} onFold={fold("rooms")} />
      <Section
        id="sidebar-dms"
        title={t("conversations")}
        entries={conversationEntries}
        folded={!!folded.conversations}
        onFold={fold("conversations")}
      />
    </nav>
  );
}
