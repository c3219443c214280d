"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { RoomDetail, WireMessage } from "@/server/protocol";
import { AppHeader, ThreadTitle } from "./app-header";
import { ChatThread, type ThreadSource } from "./chat-thread";
import { uploadFile } from "./files";
import { MemberList } from "./member-list";
import { call, useSocket } from "./use-socket";

type User = { id: string; username: string };

export function RoomView({ roomId, user, maxUploadBytes }: { roomId: string; user: User; maxUploadBytes: number }) {
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [room, setRoom] = useState<RoomDetail | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [showMembers, setShowMembers] = useState(false);

  const source = useMemo<ThreadSource<WireMessage> | null>(
    () =>
      socket && {
        enter: async () => {
          const joined = await call(socket, "room:join", { roomId });
          setRoom(joined.room);
          setFatal(null);
          return joined;
        },
        before: (seq) => call(socket, "room:history", { roomId, beforeSeq: seq, limit: 50 }),
        after: (seq) => call(socket, "room:history", { roomId, afterSeq: seq, limit: 100 }),
        send: async (body, clientMsgId) => (await call(socket, "message:send", { roomId, body, clientMsgId })).message,
        upload: (file, clientMsgId, onProgress) => uploadFile<WireMessage>(file, { roomId }, clientMsgId, onProgress),
        subscribe: (s, onMessage) => {
          const handler = (m: WireMessage) => {
            if (m.roomId === roomId) onMessage(m);
          };
          s.on("message:new", handler);
          return () => s.off("message:new", handler);
        },
      },
    [socket, roomId],
  );

  const onError = useCallback((message: string, code?: string) => {
    setFatal(code === "not_found" || code === "invalid_input" ? "This room does not exist." : message);
  }, []);

  useEffect(() => {
    if (!socket) return;
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
    socket.on("presence:changed", onPresence);
    socket.on("room:member-joined", onJoined);
    socket.on("room:member-left", onLeft);
    return () => {
      socket.off("presence:changed", onPresence);
      socket.off("room:member-joined", onJoined);
      socket.off("room:member-left", onLeft);
    };
  }, [socket, roomId, user.id, router]);

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
        <ThreadTitle title={`# ${room?.name ?? "…"}`} subtitle={room?.topic} />
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
            <span className="flex items-center gap-2">
              <Link
                href={`/rooms/${encodeURIComponent(roomId)}/files`}
                className="rounded-md border border-slate-300 px-3 py-1 font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
              >
                Files
              </Link>
              <button
                type="button"
                onClick={leave}
                className="rounded-md border border-slate-300 px-3 py-1 font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
              >
                Leave room
              </button>
            </span>
          </div>
          {source && (
            <ChatThread
              socket={socket}
              source={source}
              me={user}
              placeholder={room ? `Message #${room.name}` : "Loading…"}
              beginning={room ? `This is the beginning of #${room.name}.` : ""}
              dropLabel={`Drop files to share them in #${room?.name ?? "this room"}`}
              maxUploadBytes={maxUploadBytes}
              onError={onError}
            />
          )}
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
