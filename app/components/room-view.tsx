"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type Problem, useProblemText } from "@/app/lib/problems";
import type { RoomDetail, RoomMember, WireMessage } from "@/server/protocol";
import { RequestError, request } from "@/server/protocol/request";
import { hasPower } from "@/server/protocol/roles";
import { AppHeader, ThreadTitle } from "./app-header";
import { uploadFile } from "./files/upload-file";
import { MemberList } from "./member-list";
import { NotifySelect } from "./notify-select";
import { rememberProfiles } from "./profiles";
import { InviteDialog } from "./room/invite-dialog";
import { MemberActions } from "./room/member-actions";
import { PinsDialog } from "./room/pins-dialog";
import { RoomSettingsDialog } from "./room/room-settings-dialog";
import { Navigator } from "./shell/navigator";
import { ChatThread } from "./thread/chat-thread";
import { EmptyRoom } from "./thread/empty-thread";
import type { ThreadSource } from "./thread/source";
import { Button, LinkButton } from "./ui/button";
import { ConfirmInline } from "./ui/confirm-inline";
import { SkipToMessages } from "./ui/skip-link";
import { useSocketEvent } from "./use-live";
import { useSocket } from "./use-socket";

type User = { id: string; username: string };

const byName = (a: User, b: User) => a.username.localeCompare(b.username);

export function RoomView({
  roomId,
  user,
  maxUploadBytes,
  openAt = null,
}: {
  roomId: string;
  user: User;
  maxUploadBytes: number;
  /** the seq of a message to show on entering (a link to it) */
  openAt?: number | null;
}) {
  const t = useTranslations("room");
  const say = useProblemText();
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [room, setRoom] = useState<RoomDetail | null>(null);
  const [fatal, setFatal] = useState<Problem | null>(null);
  const [showMembers, setShowMembers] = useState(false);
  // the phone's member sheet takes the keyboard when it opens (Escape closes it), and gives it back
  const membersToggle = useRef<HTMLButtonElement>(null);
  const membersClose = useRef<HTMLButtonElement>(null);
  const sheetOpened = useRef(false);
  useEffect(() => {
    if (showMembers) membersClose.current?.focus();
    else if (sheetOpened.current) membersToggle.current?.focus();
    sheetOpened.current = showMembers;
  }, [showMembers]);
  /** "Leave room" and "Delete room" ask first */
  const [leaving, setLeaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  /** where "New messages" begins: the first message after my read mark when I came in */
  const [unreadFrom, setUnreadFrom] = useState<number | null>(null);
  const entered = useRef(false);
  /** after "mark as unread", reading no longer moves the mark until I come back */
  const holdMark = useRef(false);
  /** the dialog open over the room: invitations, its settings, or what to do to a member */
  const [dialog, setDialog] = useState<"invite" | "settings" | "pins" | RoomMember | null>(null);
  /** shows a message in the thread (set by the thread: the pinned messages' "Go to message") */
  const jumpTo = useRef<((seq: number) => void) | null>(null);
  /** why I am no longer in the room, when someone else took me out (or deleted it) */
  const [removed, setRemoved] = useState<"kicked" | "banned" | "deleted" | null>(null);

  const source = useMemo<ThreadSource<WireMessage> | null>(
    () =>
      socket && {
        key: `room:${roomId}`,
        enter: async () => {
          const joined = await request(socket, "room:join", { roomId });
          setRoom(joined.room);
          setFatal(null);
          const { lastReadSeq, unread } = joined.room;
          if (!entered.current && lastReadSeq !== undefined) {
            entered.current = true;
            if (unread) setUnreadFrom(lastReadSeq + 1);
          }
          return joined;
        },
        before: (seq) => request(socket, "room:history", { roomId, beforeSeq: seq, limit: 50 }),
        after: (seq) => request(socket, "room:history", { roomId, afterSeq: seq, limit: 50 }),
        around: (seq) => request(socket, "room:around", { roomId, seq, limit: 50 }),
        sync: (rev) => request(socket, "room:sync", { roomId, afterRev: rev, limit: 200 }),
        send: async (body, clientMsgId, replyTo) =>
          (await request(socket, "message:send", { roomId, body, clientMsgId, replyTo })).message,
        react: async (messageId, emoji, add) =>
          (await request(socket, add ? "reaction:add" : "reaction:remove", { roomId, messageId, emoji })).message as WireMessage,
        linkTo: (seq) => `/rooms/${encodeURIComponent(roomId)}?m=${seq}`,
        edit: async (messageId, body) => (await request(socket, "message:edit", { roomId, messageId, body })).message,
        remove: async (messageId) => (await request(socket, "message:delete", { roomId, messageId })).message,
        upload: (file, clientMsgId, onProgress) => uploadFile<WireMessage>(file, { roomId }, clientMsgId, onProgress),
        event: "message:new",
        updated: "message:updated",
        typing: () => socket.emit("typing", { roomId }),
        typingEvent: "typing",
        here: (e) => "roomId" in e && e.roomId === roomId,
        seen: async (seq, all) => {
          if (all) {
            holdMark.current = false;
            setUnreadFrom(null);
          }
          if (!holdMark.current) await request(socket, "room:read", { roomId, seq });
        },
        markUnread: async (seq) => {
          holdMark.current = true;
          await request(socket, "room:unread", { roomId, seq });
          setUnreadFrom(seq);
        },
        own: (m) => ("roomId" in m && m.roomId === roomId ? m : null),
      },
    [socket, roomId],
  );

  // an id that is not a room's is not_found, or invalid_input when it could not be one
  const onError = useCallback((problem: Problem) => {
    setFatal(problem.code === "invalid_input" ? { code: "not_found" } : problem);
  }, []);

  useSocketEvent(socket, "presence:changed", (e) =>
    setRoom((r) => r && { ...r, members: r.members.map((m) => (m.id === e.userId ? { ...m, online: e.online } : m)) }),
  );
  // the members' profiles came with the room: nobody asks for them again
  const memberList = room?.members;
  useEffect(() => {
    if (memberList) rememberProfiles(memberList);
  }, [memberList]);
  useSocketEvent(socket, "user:updated", (p) =>
    setRoom(
      (r) =>
        r && {
          ...r,
          members: r.members.map((m) =>
            m.id === p.id ? { ...m, displayName: p.displayName, status: p.status, avatarUrl: p.avatarUrl } : m,
          ),
        },
    ),
  );
  useSocketEvent(socket, "room:member-joined", (e) => {
    if (e.roomId !== roomId) return;
    setRoom((r) => r && { ...r, members: [...r.members.filter((m) => m.id !== e.member.id), e.member].sort(byName) });
  });
  useSocketEvent(socket, "room:settings", (e) => {
    if (e.roomId === roomId) setRoom((r) => r && { ...r, notify: e.settings.notify });
  });
  // deleted by someone else: room:removed said so first, and the page says it
  useSocketEvent(socket, "room:deleted", (e) => {
    if (e.roomId === roomId) setRemoved((why) => why ?? "deleted");
  });
  useSocketEvent(socket, "room:removed", (e) => {
    if (e.roomId === roomId) setRemoved(e.reason);
  });
  // the name, topic, visibility or archived state changed: my own fields stay
  useSocketEvent(socket, "room:updated", (e) => {
    if (e.id !== roomId) return;
    setRoom((r) => r && { ...r, name: e.name, topic: e.topic, visibility: e.visibility, archived: e.archived });
  });
  useSocketEvent(socket, "room:member-updated", (e) => {
    if (e.roomId !== roomId) return;
    setRoom(
      (r) =>
        r && {
          ...r,
          role: e.member.id === user.id ? e.member.role : r.role,
          members: r.members.map((m) => (m.id === e.member.id ? { ...m, role: e.member.role } : m)),
        },
    );
  });
  useSocketEvent(socket, "room:member-left", (e) => {
    if (e.roomId !== roomId) return;
    if (e.userId === user.id) router.push("/");
    else setRoom((r) => r && { ...r, members: r.members.filter((m) => m.id !== e.userId) });
  });

  /** Deletes the room for good (its creator, alone in it); every page showing it goes to the lobby. */
  async function remove() {
    if (!socket) throw new RequestError("timeout", "Not connected.");
    await request(socket, "room:delete", { roomId });
    router.push("/");
  }

  /** Leaves the room (after "Leave room" asked); a failure is said where it was asked. */
  async function leave() {
    if (!socket) throw new RequestError("timeout", "Not connected.");
    await request(socket, "room:leave", { roomId });
    router.push("/");
  }

  if (removed) {
    return (
      <div className="flex h-full flex-col">
        <AppHeader username={user.username} connection={connection} />
        <div className="flex min-h-0 flex-1">
          <Navigator socket={socket} me={user} here={null} />
          <main className="grid flex-1 place-items-center p-6 text-center">
            <div>
              <p role="alert" className="text-lg font-medium">
                {t(`removed.${removed}`, { room: room?.name ?? "" })}
              </p>
              <Link href="/" className="mt-3 inline-block text-brand-600 hover:underline dark:text-brand-100">
                {t("backToLobby")}
              </Link>
            </div>
          </main>
        </div>
      </div>
    );
  }

  if (fatal && !room) {
    return (
      <div className="flex h-full flex-col">
        <AppHeader username={user.username} connection={connection} />
        <main className="grid flex-1 place-items-center p-6 text-center">
          <div>
            <p role="alert" className="text-lg font-medium">
              {say(fatal, "room")}
            </p>
            <Link href="/" className="mt-3 inline-block text-brand-600 hover:underline dark:text-brand-100">
              {t("backToLobby")}
            </Link>
          </div>
        </main>
      </div>
    );
  }

  // without a connection nobody can be known to be online
  const members = room?.members.map((m) => (connection === "connected" ? m : { ...m, online: false })) ?? [];
  const online = members.filter((m) => m.online).length;
  // its owner, alone in it, is offered to delete it here, rather than leave it empty forever (with
  // others in it, deleting it is in its settings)
  const deletable = room !== null && hasPower(room.role, "delete") && members.length === 1 && members[0].id === user.id;
  const counts = room ? `${t("members", { count: members.length })} · ${t("online", { count: online })}` : t("loading");

  return (
    <div className="flex h-full flex-col">
      <SkipToMessages />
      <AppHeader username={user.username} connection={connection} inThread>
        <ThreadTitle
          title={`${room?.visibility === "private" ? "🔒" : "#"} ${room?.name ?? "…"}`}
          subtitle={room?.archived ? t("archivedSubtitle") : room?.topic}
        />
      </AppHeader>
      <div className="flex min-h-0 flex-1">
        <Navigator socket={socket} me={user} here={{ roomId }} />
        <main className="flex min-w-0 flex-1 flex-col">
          <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1 border-b border-slate-200 bg-white/70 px-3 py-2 text-sm sm:px-5 dark:border-slate-800 dark:bg-slate-900/70">
            {/* on a phone, the counts open the member sheet; on a desktop the list is always there */}
            <button
              type="button"
              onClick={() => setShowMembers((s) => !s)}
              ref={membersToggle}
              aria-expanded={showMembers}
              aria-controls="room-members"
              className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-200 md:hidden dark:text-slate-300 dark:hover:bg-slate-800"
            >
              {counts}
            </button>
            <span className="hidden px-2 py-1 text-slate-600 md:inline dark:text-slate-300">{counts}</span>
            {deleting ? (
              <ConfirmInline
                label={t("deleteAsk", { room: room?.name ?? "" })}
                question={t("deleteAsk", { room: room?.name ?? "" })}
                confirm={t("delete")}
                busyLabel={t("deleting")}
                cancel={t("keep")}
                errorContext="room"
                onConfirm={remove}
                onCancel={() => setDeleting(false)}
              />
            ) : leaving ? (
              <ConfirmInline
                label={t("leaveAsk", { room: room?.name ?? "" })}
                question={t("leaveAsk", { room: room?.name ?? "" })}
                confirm={t("leave")}
                busyLabel={t("leaving")}
                cancel={t("stay")}
                errorContext="room"
                onConfirm={leave}
                onCancel={() => setLeaving(false)}
              />
            ) : (
              <span className="flex flex-wrap items-center justify-end gap-2">
                {room && (
                  <NotifySelect
                    value={room.notify ?? "mentions"}
                    onChange={async (notify) => {
                      if (!socket) return;
                      const { settings } = await request(socket, "room:settings", { roomId, notify });
                      setRoom((r) => r && { ...r, notify: settings.notify });
                    }}
                  />
                )}
                <LinkButton href={`/rooms/${encodeURIComponent(roomId)}/files`}>{t("files")}</LinkButton>
                {/* on a phone a pin alone, so the bar keeps to one line for members */}
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => setDialog("pins")}
                  aria-label={t("pinned")}
                  title={t("pinned")}
                >
                  <span aria-hidden="true">📌</span>
                  <span aria-hidden="true" className="hidden sm:inline">
                    {t("pinned")}
                  </span>
                </Button>
                {room && hasPower(room.role, "invite") && !room.archived && (
                  <Button variant="secondary" size="sm" onClick={() => setDialog("invite")}>
                    {t("invite")}
                  </Button>
                )}
                {room && hasPower(room.role, "update") && (
                  <Button variant="secondary" size="sm" onClick={() => setDialog("settings")}>
                    {t("settings")}
                  </Button>
                )}
                {deletable && (
                  <Button variant="secondary" size="sm" onClick={() => setDeleting(true)}>
                    {t("delete")}
                  </Button>
                )}
                <Button variant="secondary" size="sm" onClick={() => setLeaving(true)}>
                  {t("leave")}
                </Button>
              </span>
            )}
          </div>
          {source && (
            <ChatThread
              socket={socket}
              source={source}
              me={user}
              placeholder={room ? t("placeholder", { room: room.name }) : t("loading")}
              beginning={room ? t("beginning", { room: room.name }) : ""}
              dropLabel={room ? t("drop", { room: room.name }) : t("dropHere")}
              maxUploadBytes={maxUploadBytes}
              onError={onError}
              unreadFrom={unreadFrom}
              openAt={openAt}
              empty={<EmptyRoom link={`/rooms/${encodeURIComponent(roomId)}`} />}
              people={members}
              readOnly={room?.archived ? t("archivedNotice") : undefined}
              moderator={hasPower(room?.role, "moderate")}
              pin={
                socket && hasPower(room?.role, "pin") && !room?.archived
                  ? (messageId, pinned) => request(socket, "message:pin", { roomId, messageId, pinned })
                  : undefined
              }
              jumpTo={jumpTo}
            />
          )}
        </main>
        {room && showMembers && (
          // on a phone the member list is a sheet over the room; tapping outside puts it away
          <button
            type="button"
            aria-label={t("closeMembers")}
            tabIndex={-1}
            onClick={() => setShowMembers(false)}
            className="fixed inset-0 z-20 bg-slate-900/40 md:hidden"
          />
        )}
        {room && (
          <aside
            id="room-members"
            onKeyDown={(e) => {
              if (e.key !== "Escape") return;
              e.preventDefault();
              setShowMembers(false);
            }}
            className={`${showMembers ? "block" : "hidden"} fixed inset-x-0 bottom-0 z-30 max-h-[70vh] overflow-y-auto rounded-t-2xl border-t border-slate-200 bg-white p-4 shadow-2xl md:static md:z-auto md:block md:max-h-none md:w-56 md:shrink-0 md:rounded-none md:border-t-0 md:border-l md:p-3 md:shadow-none dark:border-slate-800 dark:bg-slate-900`}
          >
            <div className="mb-2 flex justify-end md:hidden">
              <Button ref={membersClose} variant="ghost" size="xs" onClick={() => setShowMembers(false)}>
                {t("closeMembers")}
              </Button>
            </div>
            <MemberList members={members} me={user.id} myRole={room.role} onManage={setDialog} />
          </aside>
        )}
      </div>
      {socket && room && dialog === "invite" && <InviteDialog socket={socket} room={room} onClose={() => setDialog(null)} />}
      {socket && room && dialog === "pins" && (
        <PinsDialog
          socket={socket}
          room={room}
          canPin={hasPower(room.role, "pin") && !room.archived}
          onGo={(seq) => jumpTo.current?.(seq)}
          onClose={() => setDialog(null)}
        />
      )}
      {socket && room && dialog === "settings" && (
        <RoomSettingsDialog socket={socket} room={room} onClose={() => setDialog(null)} onDeleted={() => router.push("/")} />
      )}
      {socket && room && typeof dialog === "object" && dialog !== null && (
        <MemberActions
          socket={socket}
          roomId={roomId}
          roomName={room.name}
          member={dialog}
          mine={room.role}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
