"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { RoomSummary } from "@/server/protocol";
import { AppHeader } from "./app-header";
import { DirectMessages } from "./direct-messages";
import { RecentFiles } from "./recent-files";
import { SearchField } from "./search-field";
import { inputClass } from "./styles";
import { call, formatRelative, RequestError, useSocket } from "./use-socket";

const byActivity = (a: RoomSummary, b: RoomSummary) =>
  (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt);

export function Lobby({ user }: { user: { id: string; username: string } }) {
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const [createError, setCreateError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const refresh = useCallback(async () => {
    if (!socket) return;
    try {
      const { rooms } = await call(socket, "room:list", {});
      setRooms(rooms);
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof RequestError ? error.message : "Could not load rooms.");
    }
  }, [socket]);

  useEffect(() => {
    if (!socket) return;
    const upsert = (room: RoomSummary) =>
      setRooms((list) => [room, ...(list ?? []).filter((r) => r.id !== room.id)].sort(byActivity));
    const bump = (message: { roomId: string; createdAt: string }) =>
      setRooms(
        (list) =>
          list?.map((r) => (r.id === message.roomId ? { ...r, lastMessageAt: message.createdAt } : r)).sort(byActivity) ?? list,
      );
    // presence and membership change counts: ask again, at most every half second
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void refresh();
      }, 500);
    };
    socket.on("connect", refresh);
    socket.on("room:created", upsert);
    socket.on("message:new", bump);
    socket.on("presence:changed", soon);
    socket.on("room:member-joined", soon);
    socket.on("room:member-left", soon);
    if (socket.connected) void refresh();
    return () => {
      if (timer) clearTimeout(timer);
      socket.off("connect", refresh);
      socket.off("room:created", upsert);
      socket.off("message:new", bump);
      socket.off("presence:changed", soon);
      socket.off("room:member-joined", soon);
      socket.off("room:member-left", soon);
    };
  }, [socket, refresh]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (rooms ?? []).filter((r) => r.name.toLowerCase().includes(needle));
  }, [rooms, filter]);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!socket) return;
    // read from the form, so what was typed before the page became interactive counts
    const fields = new FormData(e.currentTarget as HTMLFormElement);
    const name = String(fields.get("name") ?? "");
    const topic = String(fields.get("topic") ?? "").trim();
    setCreating(true);
    setCreateError(null);
    try {
      const { room } = await call(socket, "room:create", { name, topic: topic || undefined });
      router.push(`/rooms/${room.id}`);
    } catch (error) {
      setCreateError(error instanceof Error ? error.message : "Could not create the room.");
      setCreating(false);
    }
  }

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <h1 className="truncate text-base font-semibold">Lobby</h1>
      </AppHeader>
      <main className="mx-auto grid w-full max-w-5xl flex-1 gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[1fr_18rem]">
        <section aria-labelledby="rooms-heading" className="min-w-0">
          <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="rooms-heading" className="text-xl font-semibold tracking-tight">
                Rooms
              </h2>
              <p className="text-sm text-slate-600 dark:text-slate-400">Pick a room to join the conversation.</p>
            </div>
            <SearchField
              id="room-filter"
              label="Filter rooms"
              placeholder="Filter rooms by name"
              value={filter}
              onChange={setFilter}
            />
          </div>

          {loadError && (
            <p
              role="alert"
              className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
            >
              {loadError}
            </p>
          )}
          {rooms === null && !loadError && <p className="text-sm text-slate-500">Loading rooms…</p>}
          {rooms !== null && shown.length === 0 && (
            <div className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
              {rooms.length === 0 ? "No rooms yet. Create the first one." : `No room matches “${filter}”.`}
            </div>
          )}
          <ul aria-label="Rooms" className="space-y-2">
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
                    #
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium group-hover:text-brand-700 dark:group-hover:text-brand-100">
                      {room.name}
                    </span>
                    <span className="block truncate text-sm text-slate-600 dark:text-slate-400">{room.topic || "No topic"}</span>
                    <span className="block text-xs text-slate-500 sm:hidden dark:text-slate-400">
                      {room.memberCount} {room.memberCount === 1 ? "member" : "members"} · {room.onlineCount} online ·{" "}
                      {formatRelative(room.lastMessageAt)}
                    </span>
                  </span>
                  <span className="hidden shrink-0 text-right text-xs text-slate-500 sm:block dark:text-slate-400">
                    <span className="block">
                      {room.memberCount} {room.memberCount === 1 ? "member" : "members"} ·{" "}
                      <span className="text-emerald-700 dark:text-emerald-400">{room.onlineCount} online</span>
                    </span>
                    <span className="block">{formatRelative(room.lastMessageAt)}</span>
                  </span>
                </Link>
                <Link
                  href={`/rooms/${room.id}/files`}
                  aria-label={`Files shared in #${room.name}`}
                  title={`Files shared in #${room.name}`}
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
                  Files
                </Link>
              </li>
            ))}
          </ul>
        </section>

        <aside className="space-y-6 lg:pt-14">
          <DirectMessages socket={socket} />
          <RecentFiles socket={socket} />
          <form
            onSubmit={create}
            className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <h2 className="font-semibold">New room</h2>
            <div>
              <label htmlFor="room-name" className="mb-1 block text-sm font-medium">
                Room name
              </label>
              <input id="room-name" required maxLength={64} name="name" className={inputClass} />
            </div>
            <div>
              <label htmlFor="room-topic" className="mb-1 block text-sm font-medium">
                Topic <span className="font-normal text-slate-500">(optional)</span>
              </label>
              <input id="room-topic" maxLength={256} name="topic" className={inputClass} />
            </div>
            {createError && (
              <p
                role="alert"
                className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
              >
                {createError}
              </p>
            )}
            <button
              type="submit"
              disabled={creating || connection !== "connected"}
              className="w-full rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
            >
              {creating ? "Creating…" : "Create room"}
            </button>
          </form>
        </aside>
      </main>
    </div>
  );
}
