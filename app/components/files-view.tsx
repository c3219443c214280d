"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RoomSummary, SharedFile, WireDirectMessage, WireMessage } from "@/server/realtime/events";
import { AppHeader, ThreadTitle } from "./app-header";
import { fileKind, fileUrl, formatSize } from "./files";
import { inputClass } from "./styles";
import { call, formatTime, RequestError, useSocket } from "./use-socket";

const PAGE = 50;

/** Whose files: a room's, or those of the private conversation with `username`. */
export type FilesPlace = { roomId: string } | { username: string };

type Scope = { roomId: string } | { conversationId: string };

/** Everything shared in a room or a conversation, newest first, with download links: for its members. */
export function FilesView({ place, user }: { place: FilesPlace; user: { id: string; username: string } }) {
  const { socket, connection } = useSocket();
  const [room, setRoom] = useState<RoomSummary | null>(null);
  /** null until known; for a conversation that has not started yet, there is none */
  const [scope, setScope] = useState<Scope | null>(null);
  const scopeRef = useRef<Scope | null>(null);
  scopeRef.current = scope;
  const [files, setFiles] = useState<SharedFile[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [problem, setProblem] = useState<{ code: string; message: string } | null>(null);
  const [filter, setFilter] = useState("");
  const [busy, setBusy] = useState(false);
  const roomId = "roomId" in place ? place.roomId : null;
  const partner = "username" in place ? place.username : null;

  const load = useCallback(async () => {
    if (!socket) return;
    try {
      let found: Scope | null = null;
      if (roomId !== null) {
        const { rooms } = await call(socket, "room:list", {});
        setRoom(rooms.find((r) => r.id === roomId) ?? null);
        found = { roomId };
      } else {
        const { conversations } = await call(socket, "dm:list", {});
        const conversation = conversations.find((c) => c.with.username.toLowerCase() === partner?.toLowerCase());
        found = conversation ? { conversationId: conversation.id } : null;
      }
      setScope(found);
      if (!found) {
        setFiles([]);
        return;
      }
      const page = await call(socket, "file:list", { ...found, limit: PAGE }).catch((error: unknown) => error as RequestError);
      if (page instanceof RequestError) {
        setProblem({ code: page.code, message: page.message });
        return;
      }
      setFiles(page.files);
      setHasMore(page.hasMore);
      setProblem(null);
    } catch (error) {
      setProblem({ code: "internal", message: error instanceof Error ? error.message : "Could not load the files." });
    }
  }, [socket, roomId, partner]);

  useEffect(() => {
    if (!socket) return;
    const onMessage = (m: WireMessage | WireDirectMessage) => {
      if (!m.file) return;
      if ("conversationId" in m && roomId === null && !scopeRef.current) {
        // perhaps the first message of the conversation this page waits for: look again
        void load();
        return;
      }
      const here =
        "roomId" in m
          ? m.roomId === roomId
          : scopeRef.current !== null &&
            "conversationId" in scopeRef.current &&
            m.conversationId === scopeRef.current.conversationId;
      if (!here) return;
      const shared: SharedFile = { ...m.file, uploader: m.author, createdAt: m.createdAt };
      setFiles((list) => list && [shared, ...list.filter((f) => f.id !== shared.id)]);
    };
    socket.on("connect", load);
    socket.on("message:new", onMessage);
    socket.on("dm:new", onMessage);
    if (socket.connected) void load();
    return () => {
      socket.off("connect", load);
      socket.off("message:new", onMessage);
      socket.off("dm:new", onMessage);
    };
  }, [socket, roomId, load]);

  async function more() {
    if (!socket || !scope || !files || files.length === 0) return;
    setBusy(true);
    try {
      const page = await call(socket, "file:list", { ...scope, before: files[files.length - 1].id, limit: PAGE });
      setFiles((list) => [...(list ?? []), ...page.files.filter((f) => !list?.some((x) => x.id === f.id))]);
      setHasMore(page.hasMore);
    } finally {
      setBusy(false);
    }
  }

  async function join() {
    if (!socket || roomId === null) return;
    setBusy(true);
    try {
      await call(socket, "room:join", { roomId });
      await load();
    } finally {
      setBusy(false);
    }
  }

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (files ?? []).filter((f) => f.name.toLowerCase().includes(needle));
  }, [files, filter]);

  const backHref = roomId !== null ? `/rooms/${encodeURIComponent(roomId)}` : `/messages/${encodeURIComponent(partner ?? "")}`;
  const placeName = roomId !== null ? (room ? `#${room.name}` : "the room") : `@${partner}`;
  const notFound = problem?.code === "not_found" || problem?.code === "invalid_input";

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <ThreadTitle
          title={roomId !== null ? (room ? `Files in #${room.name}` : "Files") : `Files with @${partner}`}
          subtitle={roomId !== null ? room?.topic : "Private conversation"}
        />
      </AppHeader>
      <main className="mx-auto w-full max-w-4xl flex-1 px-4 py-6 sm:px-6">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 className="text-xl font-semibold tracking-tight">Shared files</h2>
            {!notFound && (
              <Link href={backHref} className="text-sm text-brand-600 hover:underline dark:text-brand-100">
                ← Back to {placeName}
              </Link>
            )}
          </div>
          {files && files.length > 0 && (
            <div className="w-full sm:w-64">
              <label htmlFor="file-filter" className="sr-only">
                Filter files
              </label>
              <input
                id="file-filter"
                type="search"
                placeholder="Filter files by name"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                className={inputClass}
              />
            </div>
          )}
        </div>

        {problem?.code === "forbidden" && (
          <div className="rounded-2xl border border-slate-200 bg-white p-6 text-center dark:border-slate-800 dark:bg-slate-900">
            <p>Only members see what is shared in {room ? `#${room.name}` : "this room"}.</p>
            <button
              type="button"
              onClick={join}
              disabled={busy}
              className="mt-3 rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              Join {room ? `#${room.name}` : "the room"}
            </button>
          </div>
        )}
        {problem && problem.code !== "forbidden" && (
          <div role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
            {notFound && roomId !== null ? "This room does not exist." : problem.message}{" "}
            <Link href="/" className="font-medium underline">
              Back to the lobby
            </Link>
          </div>
        )}
        {files === null && !problem && <p className="text-sm text-slate-500">Loading files…</p>}
        {files !== null && shown.length === 0 && (
          <div className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {files.length === 0 ? (
              <>
                Nothing shared here yet. Attach a file in{" "}
                <Link href={backHref} className="text-brand-600 hover:underline dark:text-brand-100">
                  {roomId !== null ? "the room" : "the conversation"}
                </Link>{" "}
                or drop one onto it.
              </>
            ) : (
              `No file matches “${filter}”.`
            )}
          </div>
        )}

        {shown.length > 0 && (
          <ul
            aria-label="Files"
            className="divide-y divide-slate-200 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
          >
            {shown.map((f) => (
              <li key={f.id} className="flex items-center gap-3 px-4 py-3">
                {f.thumbnail ? (
                  // biome-ignore lint/performance/noImgElement: a member-only thumbnail from our own API
                  <img
                    src={`${fileUrl(f.id)}/thumbnail`}
                    alt=""
                    width={40}
                    height={40}
                    loading="lazy"
                    className="h-10 w-10 shrink-0 rounded-lg border border-slate-200 object-cover dark:border-slate-700"
                  />
                ) : (
                  <span
                    aria-hidden="true"
                    className="grid h-10 w-10 shrink-0 place-items-center rounded-lg bg-brand-50 text-[10px] font-bold text-brand-700 dark:bg-brand-500/15 dark:text-brand-100"
                  >
                    {fileKind(f)}
                  </span>
                )}
                <div className="min-w-0 flex-1">
                  <a
                    href={fileUrl(f.id)}
                    download={f.name}
                    className="block truncate font-medium text-brand-700 hover:underline dark:text-brand-100"
                  >
                    {f.name}
                  </a>
                  <p className="truncate text-xs text-slate-500 dark:text-slate-400">
                    {formatSize(f.size)} · {f.type}
                  </p>
                  <p className="truncate text-xs text-slate-500 sm:hidden dark:text-slate-400">
                    by {f.uploader.username}, {formatTime(f.createdAt)}
                  </p>
                </div>
                <div className="hidden shrink-0 text-right text-xs text-slate-500 sm:block dark:text-slate-400">
                  <p>
                    by <span className="font-medium text-slate-700 dark:text-slate-200">{f.uploader.username}</span>
                  </p>
                  <time dateTime={f.createdAt}>{formatTime(f.createdAt)}</time>
                </div>
                <a
                  href={fileUrl(f.id)}
                  download={f.name}
                  aria-label={`Download ${f.name}`}
                  className="shrink-0 rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
                >
                  Download
                </a>
              </li>
            ))}
          </ul>
        )}
        {hasMore && (
          <button
            type="button"
            onClick={more}
            disabled={busy}
            className="mx-auto mt-4 block rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            {busy ? "Loading…" : "Show older files"}
          </button>
        )}
      </main>
    </div>
  );
}
