"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { RoomDetail, WireMessage } from "@/server/realtime/events";
import { AppHeader } from "./app-header";
import { Composer } from "./composer";
import { MessageList, type PendingMessage } from "./message-list";
import { MemberList } from "./member-list";
import { call, RequestError, useSocket, type ChatSocket } from "./use-socket";

type User = { id: string; username: string };

/** Merges messages into a list ordered by seq, without duplicates. */
function merge(list: WireMessage[], incoming: WireMessage[]): WireMessage[] {
  if (incoming.length === 0) return list;
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Everything after `afterSeq`, page by page: what a reconnecting client missed. */
async function fetchSince(socket: ChatSocket, roomId: string, afterSeq: number): Promise<WireMessage[]> {
  const missed: WireMessage[] = [];
  let cursor = afterSeq;
  for (;;) {
    const page = await call(socket, "room:history", { roomId, afterSeq: cursor, limit: 100 });
    missed.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return missed;
    cursor = page.messages[page.messages.length - 1].seq;
  }
}

function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function RoomView({ roomId, user }: { roomId: string; user: User }) {
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [room, setRoom] = useState<RoomDetail | null>(null);
  const [messages, setMessages] = useState<WireMessage[]>([]);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [fatal, setFatal] = useState<string | null>(null);
  const [showMembers, setShowMembers] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const restoreFrom = useRef<number | null>(null);
  const lastSeq = useRef(0);
  lastSeq.current = messages.length > 0 ? messages[messages.length - 1].seq : 0;

  const enter = useCallback(async () => {
    if (!socket) return;
    try {
      const joined = await call(socket, "room:join", { roomId });
      setRoom(joined.room);
      if (lastSeq.current === 0) {
        setMessages(joined.messages);
        setHasMore(joined.hasMore);
      } else {
        const missed = await fetchSince(socket, roomId, lastSeq.current);
        setMessages((list) => merge(list, missed));
      }
      setFatal(null);
    } catch (error) {
      if (error instanceof RequestError && (error.code === "not_found" || error.code === "invalid_input"))
        setFatal("This room does not exist.");
      else setFatal(error instanceof Error ? error.message : "Could not open the room.");
    }
  }, [socket, roomId]);

  useEffect(() => {
    if (!socket) return;
    const onMessage = (m: WireMessage) => {
      if (m.roomId !== roomId) return;
      setMessages((list) => merge(list, [m]));
      if (m.author.id === user.id) setPending((p) => p.filter((x) => x.clientMsgId !== m.clientMsgId));
    };
    const onPresence = (e: { userId: string; online: boolean }) =>
      setRoom((r) => r && { ...r, members: r.members.map((m) => (m.id === e.userId ? { ...m, online: e.online } : m)) });
    const onJoined = (e: { roomId: string; member: RoomDetail["members"][number] }) => {
      if (e.roomId !== roomId) return;
      setRoom(
        (r) =>
          r && {
            ...r,
            members: [...r.members.filter((m) => m.id !== e.member.id), e.member].sort((a, b) =>
              a.username.localeCompare(b.username),
            ),
          },
      );
    };
    const onLeft = (e: { roomId: string; userId: string }) => {
      if (e.roomId !== roomId) return;
      if (e.userId === user.id) router.push("/");
      else setRoom((r) => r && { ...r, members: r.members.filter((m) => m.id !== e.userId) });
    };
    socket.on("connect", enter);
    socket.on("message:new", onMessage);
    socket.on("presence:changed", onPresence);
    socket.on("room:member-joined", onJoined);
    socket.on("room:member-left", onLeft);
    if (socket.connected) void enter();
    return () => {
      socket.off("connect", enter);
      socket.off("message:new", onMessage);
      socket.off("presence:changed", onPresence);
      socket.off("room:member-joined", onJoined);
      socket.off("room:member-left", onLeft);
    };
  }, [socket, roomId, user.id, enter, router]);

  const loadOlder = useCallback(async () => {
    if (!socket || loadingOlder || !hasMore || messages.length === 0) return;
    setLoadingOlder(true);
    try {
      const page = await call(socket, "room:history", { roomId, beforeSeq: messages[0].seq, limit: 50 });
      restoreFrom.current = scroller.current ? scroller.current.scrollHeight - scroller.current.scrollTop : null;
      setMessages((list) => merge(list, page.messages));
      setHasMore(page.hasMore);
    } catch {
      // the next scroll tries again
    } finally {
      setLoadingOlder(false);
    }
  }, [socket, roomId, messages, hasMore, loadingOlder]);

  // Keep the view where the reader is: at the bottom for new messages, in place for older ones.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of what is shown, which it does not read
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (restoreFrom.current !== null) {
      el.scrollTop = el.scrollHeight - restoreFrom.current;
      restoreFrom.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, pending]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (el.scrollTop < 120) void loadOlder();
  }

  // The first page may not fill a tall screen: keep loading until it scrolls or history ends.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure after each change of the list
  useEffect(() => {
    const el = scroller.current;
    if (el && hasMore && el.scrollHeight <= el.clientHeight) void loadOlder();
  }, [messages, hasMore, loadOlder]);

  async function deliver(item: PendingMessage) {
    if (!socket) return;
    setPending((p) => [...p.filter((x) => x.clientMsgId !== item.clientMsgId), { ...item, status: "pending", error: undefined }]);
    stickToBottom.current = true;
    try {
      const { message } = await call(socket, "message:send", { roomId, body: item.body, clientMsgId: item.clientMsgId });
      setMessages((list) => merge(list, [message]));
      setPending((p) => p.filter((x) => x.clientMsgId !== item.clientMsgId));
    } catch (error) {
      const reason = error instanceof Error ? error.message : "Not sent.";
      setPending((p) => p.map((x) => (x.clientMsgId === item.clientMsgId ? { ...x, status: "failed", error: reason } : x)));
    }
  }

  async function leave() {
    if (!socket) return;
    try {
      await call(socket, "room:leave", { roomId });
      router.push("/");
    } catch (error) {
      setFatal(error instanceof Error ? error.message : "Could not leave the room.");
    }
  }

  if (fatal && !room) {
    return (
      <div className="flex h-full flex-col">
        <AppHeader username={user.username} connection={connection} />
        <main className="grid flex-1 place-items-center p-6 text-center">
          <div>
            <p role="alert" className="text-lg font-medium">
              {fatal}
            </p>
            <Link href="/" className="mt-3 inline-block text-brand-600 hover:underline dark:text-brand-100">
              Back to the lobby
            </Link>
          </div>
        </main>
      </div>
    );
  }

  const online = room?.members.filter((m) => m.online).length ?? 0;

  return (
    <div className="flex h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <div className="flex min-w-0 items-center gap-2">
          <Link
            href="/"
            className="hidden rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-200 sm:inline dark:text-slate-300 dark:hover:bg-slate-800"
          >
            ← Lobby
          </Link>
          <div className="min-w-0">
            <h1 className="truncate text-base font-semibold"># {room?.name ?? "…"}</h1>
            {room?.topic && <p className="truncate text-xs text-slate-500 dark:text-slate-400">{room.topic}</p>}
          </div>
        </div>
      </AppHeader>
      <div className="flex min-h-0 flex-1">
        <main className="flex min-w-0 flex-1 flex-col">
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 bg-white/70 px-3 py-2 text-sm sm:px-5 dark:border-slate-800 dark:bg-slate-900/70">
            <button
              type="button"
              onClick={() => setShowMembers((s) => !s)}
              aria-expanded={showMembers}
              className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-200 md:pointer-events-none dark:text-slate-300 dark:hover:bg-slate-800"
            >
              {room
                ? `${room.members.length} ${room.members.length === 1 ? "member" : "members"} · ${online} online`
                : "Loading…"}
            </button>
            <button
              type="button"
              onClick={leave}
              className="rounded-md border border-slate-300 px-3 py-1 font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              Leave room
            </button>
          </div>
          <div
            ref={scroller}
            onScroll={onScroll}
            className="min-h-0 flex-1 overflow-y-auto px-3 py-4 sm:px-5"
            data-testid="message-scroller"
          >
            {loadingOlder && <p className="pb-2 text-center text-xs text-slate-500">Loading older messages…</p>}
            {!hasMore && room && (
              <p className="pb-4 text-center text-xs text-slate-500 dark:text-slate-400">
                This is the beginning of #{room.name}.
              </p>
            )}
            <MessageList messages={messages} pending={pending} me={user} onRetry={deliver} />
          </div>
          <Composer
            disabled={!room}
            placeholder={room ? `Message #${room.name}` : "Loading…"}
            onSend={(body) => void deliver({ clientMsgId: newClientMsgId(), body, status: "pending" })}
          />
        </main>
        {room && (
          <aside
            className={`${showMembers ? "block" : "hidden"} w-56 shrink-0 overflow-y-auto border-l border-slate-200 bg-white p-3 md:block dark:border-slate-800 dark:bg-slate-900`}
          >
            <MemberList members={room.members} me={user.id} />
          </aside>
        )}
      </div>
    </div>
  );
}
