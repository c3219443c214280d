"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useMemo, useRef, useState } from "react";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { afterMessage, afterRead, changeRoom } from "@/app/lib/unread";
import type { Replies, RoomSummary } from "@/server/protocol";
import { MAX_ROOM_PAGE } from "@/server/protocol/limits";
import { request } from "@/server/protocol/request";
import { AppHeader } from "./app-header";
import { DirectMessages } from "./direct-messages";
import { EmptyRooms } from "./empty-rooms";
import { RecentFiles } from "./files/recent-files";
import { Invitations } from "./invitations";
import { SearchField } from "./search-field";
import { Navigator } from "./shell/navigator";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { inputClass } from "./ui/input";
import { UnreadBadge } from "./ui/unread-badge";
import { useLiveQuery } from "./use-live";
import { useSettled } from "./use-settled";
import { type ChatSocket, useSocket } from "./use-socket";

const PAGE = 50;

type RoomPage = Replies["room:list"];

const byActivity = (a: RoomSummary, b: RoomSummary) =>
  (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt);

export function Lobby({ user }: { user: { id: string; username: string } }) {
  const t = useTranslations("lobby");
  const say = useProblemText();
  const format = useFormat();
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [filter, setFilter] = useState("");
  const [createError, setCreateError] = useState<Problem | null>(null);
  const [creating, setCreating] = useState(false);
  const search = useSettled(filter.trim(), filter ? 250 : 0);
  // a refresh (joining or leaving a room) keeps what "Show more" loaded, up to the largest page
  const loaded = useRef(PAGE);
  // a new search starts from one page (before the query below runs: effects run in order)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the search changes, which it does not read
  useEffect(() => {
    loaded.current = PAGE;
  }, [search]);
  // what an event changes in the listed rooms (a page not loaded yet stays so)
  const inRooms =
    <P,>(change: (list: RoomSummary[], payload: P) => RoomSummary[]) =>
    (page: RoomPage | null, payload: P) =>
      page && { ...page, rooms: change(page.rooms, payload) };
  const withMemberCount = (list: RoomSummary[], e: { roomId: string; memberCount: number }) =>
    changeRoom(list, e.roomId, (r) => ({ ...r, memberCount: e.memberCount }));
  // `watch`: the counts of the listed rooms I am not in reach me too while the lobby is open
  const listRooms = (s: ChatSocket) =>
    request(s, "room:list", { query: search || undefined, limit: loaded.current, watch: true });
  const live = useLiveQuery(socket, listRooms, {
    key: [search],
    // a room I joined or left brings my fields (role, unread) or takes them away: ask again (and a
    // public one I am no longer in is watched from then on)
    refreshOn: {
      "room:member-joined": (e) => e.member.id === user.id,
      "room:member-left": (e) => e.userId === user.id,
      "room:removed": true,
    },
    debounceMs: 500,
    apply: {
      "room:created": inRooms((list, room) =>
        search && !room.name.toLowerCase().includes(search.toLowerCase())
          ? list
          : [room, ...list.filter((r) => r.id !== room.id)].sort(byActivity),
      ),
      // a message counts as unread in a room you are in, unless you wrote it (then all before it is read)
      "message:new": inRooms((list, m) => changeRoom(list, m.roomId, (r) => afterMessage(r, m, user.id)).sort(byActivity)),
      "room:settings": inRooms((list, e) => changeRoom(list, e.roomId, (r) => ({ ...r, notify: e.settings.notify }))),
      "room:deleted": inRooms((list, e) => list.filter((r) => r.id !== e.roomId)),
      // a room changed: mine keep my fields; one turned private that I am not in goes
      "room:updated": inRooms((list, room) =>
        list.flatMap((r) => {
          if (r.id !== room.id) return [r];
          if (room.visibility === "private" && r.role === undefined) return [];
          return [{ ...r, name: room.name, topic: room.topic, visibility: room.visibility, archived: room.archived }];
        }),
      ),
      // taken out of a room: a private one is gone from view, a public one stays (without my marks,
      // and with one member fewer, online: me; its counts no longer reach me after that)
      "room:removed": inRooms((list, e) =>
        list.flatMap((r) => {
          if (r.id !== e.roomId) return [r];
          if (r.visibility === "private") return [];
          const { role: _role, unread: _unread, mentions: _mentions, lastReadSeq: _mark, notify: _notify, ...rest } = r;
          return [{ ...rest, memberCount: Math.max(0, r.memberCount - 1), onlineCount: Math.max(0, r.onlineCount - 1) }];
        }),
      ),
      // the counts follow the members as they come and go, without asking again: of my rooms, and of
      // the others listed (watched); each event carries the count, so one that crosses a request
      // for the list sets it right again
      "room:online": inRooms((list, e) => changeRoom(list, e.roomId, (r) => ({ ...r, onlineCount: e.onlineCount }))),
      "room:member-joined": inRooms((list, e) => (e.member.id === user.id ? list : withMemberCount(list, e))),
      "room:member-left": inRooms((list, e) => (e.userId === user.id ? list : withMemberCount(list, e))),
      "room:member-count": inRooms(withMemberCount),
      "room:read": inRooms((list, e) => changeRoom(list, e.roomId, (r) => afterRead(r, e))),
    },
  });
  // leaving the lobby: those counts are no business of the page that comes next
  useEffect(() => {
    if (!socket) return;
    return () => {
      if (socket.connected) void request(socket, "room:unwatch", {}).catch(() => undefined);
    };
  }, [socket]);
  const rooms = live.data?.rooms ?? null;
  const loadError = live.error;

  // while a search is on its way, what is shown already narrows as you type; the server's answer
  // then stands (it also finds names typed with look-alike letters)
  const matching = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (needle === search.toLowerCase()) return rooms ?? [];
    return (rooms ?? []).filter((r) => r.name.toLowerCase().includes(needle));
  }, [rooms, filter, search]);
  // rooms nobody is in are listed apart, below the others; so are archived ones
  const shown = matching.filter((r) => r.memberCount > 0 && !r.archived);
  const empty = matching.filter((r) => r.memberCount === 0 && !r.archived);
  const archived = matching.filter((r) => r.archived);

  const [loadingMore, setLoadingMore] = useState(false);
  async function more() {
    const last = rooms?.at(-1);
    if (!socket || !last) return;
    setLoadingMore(true);
    try {
      const page = await request(socket, "room:list", { query: search || undefined, before: last.id, limit: PAGE, watch: true });
      loaded.current = Math.min(MAX_ROOM_PAGE, loaded.current + page.rooms.length);
      live.setData(
        (current) =>
          current && {
            rooms: [...current.rooms, ...page.rooms.filter((r) => !current.rooms.some((x) => x.id === r.id))],
            hasMore: page.hasMore,
          },
      );
    } finally {
      setLoadingMore(false);
    }
  }

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!socket) return;
    // read from the form, so what was typed before the page became interactive counts
    const fields = new FormData(e.currentTarget as HTMLFormElement);
    const name = String(fields.get("name") ?? "");
    const topic = String(fields.get("topic") ?? "").trim();
    const visibility = fields.get("visibility") === "private" ? "private" : "public";
    setCreating(true);
    setCreateError(null);
    try {
      const { room } = await request(socket, "room:create", { name, topic: topic || undefined, visibility });
      router.push(`/rooms/${room.id}`);
    } catch (error) {
      setCreateError(problemOf(error));
      setCreating(false);
    }
  }

  return (
    <div className="flex min-h-full flex-col lg:h-full">
      <AppHeader username={user.username} connection={connection}>
        <h1 className="truncate text-base font-semibold">{t("title")}</h1>
      </AppHeader>
      {/* on a phone, my rooms and conversations come first: the home screen; on a desktop, the sidebar */}
      <div className="flex flex-1 flex-col lg:min-h-0 lg:flex-row">
        <Navigator socket={socket} me={user} here={null} home />
        <div className="min-w-0 flex-1 lg:overflow-y-auto">
          <main className="mx-auto grid w-full max-w-5xl gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[1fr_18rem]">
            <section aria-labelledby="rooms-heading" className="min-w-0">
              <Invitations socket={socket} />
              <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
                <div>
                  <h2 id="rooms-heading" className="text-xl font-semibold tracking-tight">
                    {t("rooms")}
                  </h2>
                  <p className="text-sm text-slate-600 dark:text-slate-400">{t("pick")}</p>
                </div>
                <SearchField
                  id="room-filter"
                  label={t("filterLabel")}
                  placeholder={t("filterPlaceholder")}
                  value={filter}
                  onChange={setFilter}
                />
              </div>

              {loadError && <Alert className="mb-3">{say(loadError)}</Alert>}
              {rooms === null && !loadError && <p className="text-sm text-slate-500">{t("loading")}</p>}
              {rooms !== null && matching.length === 0 && (
                <div className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                  {rooms.length === 0 ? (
                    <>
                      <p>{t("empty")}</p>
                      <Button className="mt-3" onClick={() => document.getElementById("room-name")?.focus()}>
                        {t("createFirst")}
                      </Button>
                    </>
                  ) : (
                    t("noMatch", { filter })
                  )}
                </div>
              )}
              <ul aria-label={t("rooms")} className="space-y-2">
                {shown.map((room) => (
                  <li key={room.id} className="flex items-stretch gap-2">
                    <Link
                      href={`/rooms/${room.id}`}
                      className="group flex min-w-0 flex-1 items-center gap-4 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm transition hover:border-brand-500/60 hover:shadow dark:border-slate-800 dark:bg-slate-900 dark:hover:border-brand-500/60"
                    >
                      <span
                        aria-hidden="true"
                        className="grid h-10 w-10 shrink-0 place-items-center rounded-lg bg-brand-50 font-semibold text-brand-700 dark:bg-brand-500/15 dark:text-brand-100"
                      >
                        {room.visibility === "private" ? (
                          <span role="img" aria-label={t("private")}>
                            🔒
                          </span>
                        ) : (
                          "#"
                        )}
                      </span>
                      <span className="min-w-0 flex-1">
                        {/* people's own words are marked, so translation tools (and the Russian test) leave them */}
                        <span
                          translate="no"
                          className={`block truncate group-hover:text-brand-700 dark:group-hover:text-brand-100 ${room.unread && room.notify !== "nothing" ? "font-bold" : "font-medium"}`}
                        >
                          {room.name}
                        </span>
                        <span
                          translate={room.topic ? "no" : undefined}
                          className="block truncate text-sm text-slate-600 dark:text-slate-400"
                        >
                          {room.topic || t("noTopic")}
                        </span>
                        <span className="block text-xs text-slate-500 sm:hidden dark:text-slate-400">
                          {t("members", { count: room.memberCount })} · {t("online", { count: room.onlineCount })} ·{" "}
                          {format.relative(room.lastMessageAt)}
                        </span>
                      </span>
                      <UnreadBadge unread={room.unread ?? 0} mentions={room.mentions} muted={room.notify === "nothing"} />
                      <span className="hidden shrink-0 text-right text-xs text-slate-500 sm:block dark:text-slate-400">
                        <span className="block">
                          {t("members", { count: room.memberCount })} ·{" "}
                          <span className="text-emerald-700 dark:text-emerald-400">
                            {t("online", { count: room.onlineCount })}
                          </span>
                        </span>
                        <span className="block">{format.relative(room.lastMessageAt)}</span>
                      </span>
                    </Link>
                    <Link
                      href={`/rooms/${room.id}/files`}
                      aria-label={t("filesIn", { room: room.name })}
                      title={t("filesIn", { room: room.name })}
                      className="flex shrink-0 flex-col items-center justify-center gap-0.5 rounded-xl border border-slate-200 bg-white px-3 text-xs font-medium text-slate-600 shadow-sm transition hover:border-brand-500/60 hover:text-brand-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300 dark:hover:text-brand-100"
                    >
                      <svg
                        aria-hidden="true"
                        viewBox="0 0 20 20"
                        className="h-5 w-5"
                        fill="none"
                        stroke="currentColor"
                        strokeWidth="1.6"
                      >
                        <path d="M5 2.5h6.5L15 6v11.5H5z" strokeLinejoin="round" />
                        <path d="M11.5 2.5V6H15" strokeLinejoin="round" />
                      </svg>
                      {t("files")}
                    </Link>
                  </li>
                ))}
              </ul>
              {live.data?.hasMore && matching.length === rooms?.length && (
                <div className="mt-3 text-center">
                  <Button variant="secondary" onClick={more} disabled={loadingMore}>
                    {loadingMore ? t("loadingMore") : t("showMore")}
                  </Button>
                </div>
              )}
              <EmptyRooms rooms={empty} socket={socket} />
              <ArchivedRooms rooms={archived} />
            </section>

            <aside className="space-y-6 lg:pt-14">
              <DirectMessages socket={socket} me={user} />
              <RecentFiles socket={socket} />
              <form
                onSubmit={create}
                className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
              >
                <h2 className="font-semibold">{t("newRoom")}</h2>
                <div>
                  <label htmlFor="room-name" className="mb-1 block text-sm font-medium">
                    {t("roomName")}
                  </label>
                  <input id="room-name" required maxLength={64} name="name" className={inputClass} />
                </div>
                <div>
                  <label htmlFor="room-topic" className="mb-1 block text-sm font-medium">
                    {t("topic")} <span className="font-normal text-slate-600 dark:text-slate-400">{t("optional")}</span>
                  </label>
                  <input id="room-topic" maxLength={256} name="topic" className={inputClass} />
                </div>
                <fieldset className="text-sm">
                  <legend className="mb-1 font-medium">{t("visibility")}</legend>
                  <label className="flex items-start gap-2 py-0.5">
                    <input type="radio" name="visibility" value="public" defaultChecked className="mt-1" />
                    <span>
                      {t("public")} <span className="block text-slate-600 dark:text-slate-400">{t("publicHint")}</span>
                    </span>
                  </label>
                  <label className="flex items-start gap-2 py-0.5">
                    <input type="radio" name="visibility" value="private" className="mt-1" />
                    <span>
                      {t("private")} <span className="block text-slate-600 dark:text-slate-400">{t("privateHint")}</span>
                    </span>
                  </label>
                </fieldset>
                {createError && <Alert>{say(createError, "roomCreate")}</Alert>}
                <Button type="submit" disabled={creating || connection !== "connected"} className="w-full">
                  {creating ? t("creating") : t("create")}
                </Button>
              </form>
            </aside>
          </main>
        </div>
      </div>
    </div>
  );
}

/** Archived rooms, listed apart (collapsed): read-only, still there to read. */
function ArchivedRooms({ rooms }: { rooms: RoomSummary[] }) {
  const t = useTranslations("lobby");
  if (rooms.length === 0) return null;
  return (
    <details className="mt-4 rounded-xl border border-slate-200 bg-white/60 px-3 py-2 dark:border-slate-800 dark:bg-slate-900/60">
      <summary className="cursor-pointer text-sm font-medium text-slate-600 dark:text-slate-300">
        {t("archived", { count: rooms.length })}
      </summary>
      <ul aria-label={t("archivedList")} className="mt-1">
        {rooms.map((room) => (
          <li key={room.id} className="px-2 py-1.5 text-sm">
            <Link href={`/rooms/${room.id}`} translate="no" className="text-slate-600 hover:underline dark:text-slate-300">
              {room.visibility === "private" ? "🔒" : "#"} {room.name}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
