"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { RoomSummary, SharedFile, WireDirectMessage, WireMessage } from "@/server/protocol";
import { AppHeader, ThreadTitle } from "./app-header";
import { FileIcon, fileUrl, formatSize } from "./files";
import { SearchField } from "./search-field";
import { call, formatTime, RequestError, useSocket } from "./use-socket";

const PAGE = 50;

/** Whose files: a room's, those of the private conversation with `username`, or all you can read. */
export type FilesPlace = { roomId: string } | { username: string } | "all";

type Scope = { roomId: string } | { conversationId: string } | Record<never, never>;

/** Where a file was shared, in a few words: "#general", "@bob". */
function sharedIn(f: SharedFile): { label: string; href: string } | null {
  if (f.room) return { label: `#${f.room.name}`, href: `/rooms/${encodeURIComponent(f.room.id)}` };
  if (f.conversation) {
    const name = f.conversation.with.username;
    return { label: `@${name}`, href: `/messages/${encodeURIComponent(name)}` };
  }
  return null;
}

/**
 * Shared files, newest first, searchable by name, with download links: a room's or a
 * conversation's (for its members), or everything the user can read.
 */
export function FilesView({ place, user }: { place: FilesPlace; user: { id: string; username: string } }) {
  const { socket, connection } = useSocket();
  const [room, setRoom] = useState<RoomSummary | null>(null);
  /** null until known; for a conversation not started yet there is none, and no files */
  const [scope, setScope] = useState<Scope | null>(null);
  const [files, setFiles] = useState<SharedFile[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [problem, setProblem] = useState<{ code: string; message: string } | null>(null);
  const [query, setQuery] = useState("");
  const [busy, setBusy] = useState(false);
  const roomId = typeof place === "object" && "roomId" in place ? place.roomId : null;
  const partner = typeof place === "object" && "username" in place ? place.username : null;
  const everything = place === "all";
  const asked = useRef("");

  /** Finds where the files are (once), then the newest page matching the search. */
  const load = useCallback(
    async (search: string) => {
      if (!socket) return;
      asked.current = search;
      try {
        let found: Scope | null = {};
        if (roomId !== null) {
          const { rooms } = await call(socket, "room:list", {});
          setRoom(rooms.find((r) => r.id === roomId) ?? null);
          found = { roomId };
        } else if (partner !== null) {
          const { conversations } = await call(socket, "dm:list", {});
          const conversation = conversations.find((c) => c.with.username.toLowerCase() === partner.toLowerCase());
          found = conversation ? { conversationId: conversation.id } : null;
        }
        setScope(found);
        if (!found) {
          setFiles([]);
          return;
        }
        const page = await call(socket, "file:list", { ...found, query: search || undefined, limit: PAGE }).catch(
          (error: unknown) => error as RequestError,
        );
        if (asked.current !== search) return; // a newer search is on its way
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
    },
    [socket, roomId, partner],
  );

  // Search as you type, a moment after the last key.
  useEffect(() => {
    if (!socket) return;
    const timer = setTimeout(() => void load(query.trim()), query ? 250 : 0);
    return () => clearTimeout(timer);
  }, [socket, query, load]);

  // New files appear as they are shared: ask again (once for a burst), keeping the search.
  useEffect(() => {
    if (!socket) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const again = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void load(asked.current);
      }, 300);
    };
    const onMessage = (m: WireMessage | WireDirectMessage) => {
      if (!m.file) return;
      if (everything || ("roomId" in m ? m.roomId === roomId : partner !== null)) again();
    };
    const onConnect = () => void load(asked.current);
    socket.on("connect", onConnect);
    socket.on("message:new", onMessage);
    socket.on("dm:new", onMessage);
    return () => {
      if (timer) clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("message:new", onMessage);
      socket.off("dm:new", onMessage);
    };
  }, [socket, roomId, partner, everything, load]);

  async function more() {
    if (!socket || !scope || !files || files.length === 0) return;
    setBusy(true);
    try {
      const page = await call(socket, "file:list", {
        ...scope,
        query: asked.current || undefined,
        before: files[files.length - 1].id,
        limit: PAGE,
      });
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
      await load(asked.current);
    } finally {
      setBusy(false);
    }
  }

  const back =
    roomId !== null
      ? { href: `/rooms/${encodeURIComponent(roomId)}`, label: room ? `#${room.name}` : "the room" }
      : partner !== null
        ? { href: `/messages/${encodeURIComponent(partner)}`, label: `@${partner}` }
        : { href: "/", label: "the lobby" };
  const title = everything
    ? "All files"
    : roomId !== null
      ? room
        ? `Files in #${room.name}`
        : "Files"
      : `Files with @${partner}`;
  const notFound = problem?.code === "not_found" || problem?.code === "invalid_input";
  const searching = asked.current !== "";

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <ThreadTitle
          title={title}
          subtitle={
            everything
              ? "Everything shared in your rooms and conversations"
              : roomId !== null
                ? room?.topic
                : "Private conversation"
          }
        />
      </AppHeader>
      <main className="mx-auto w-full max-w-4xl flex-1 px-4 py-6 sm:px-6">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 className="text-xl font-semibold tracking-tight">{everything ? "Shared with you" : "Shared files"}</h2>
            {!notFound && (
              <Link href={back.href} className="text-sm text-brand-600 hover:underline dark:text-brand-100">
                ← Back to {back.label}
              </Link>
            )}
          </div>
          {problem === null && (
            <SearchField
              id="file-search"
              label="Search files"
              placeholder="Search files by name"
              value={query}
              onChange={setQuery}
            />
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
        {files !== null && files.length === 0 && !problem && (
          <div className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {searching ? (
              `No file matches “${asked.current}”.`
            ) : everything ? (
              "Nothing shared yet. Attach a file in a room or a conversation, or drop one onto it."
            ) : (
              <>
                Nothing shared here yet. Attach a file in{" "}
                <Link href={back.href} className="text-brand-600 hover:underline dark:text-brand-100">
                  {roomId !== null ? "the room" : "the conversation"}
                </Link>{" "}
                or drop one onto it.
              </>
            )}
          </div>
        )}

        {files && files.length > 0 && (
          <ul
            aria-label="Files"
            className="divide-y divide-slate-200 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
          >
            {files.map((f) => (
              <FileRow key={f.id} file={f} where={everything ? sharedIn(f) : null} />
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

function FileRow({ file: f, where }: { file: SharedFile; where: { label: string; href: string } | null }) {
  const shared = (
    <>
      by <span className="font-medium text-slate-700 dark:text-slate-200">{f.uploader.username}</span>
      {where && (
        <>
          {" in "}
          <Link href={where.href} className="font-medium text-brand-600 hover:underline dark:text-brand-100">
            {where.label}
          </Link>
        </>
      )}
    </>
  );
  return (
    <li className="flex items-center gap-3 px-4 py-3">
      <FileIcon file={f} />
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
          {shared}, {formatTime(f.createdAt)}
        </p>
      </div>
      <div className="hidden shrink-0 text-right text-xs text-slate-500 sm:block dark:text-slate-400">
        <p>{shared}</p>
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
  );
}
