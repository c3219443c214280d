"use client";

import { useTranslations } from "next-intl";
import { useCallback, useMemo, useRef, useState } from "react";
import { type Problem, useProblemText } from "@/app/lib/problems";
import type { ConversationSummary, PageCursor, WireDirectMessage } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { AppHeader, ThreadTitle } from "./app-header";
import { uploadFile } from "./files/upload-file";
import { Navigator } from "./shell/navigator";
import { ChatThread } from "./thread/chat-thread";
import type { ThreadSource } from "./thread/source";
import { Alert } from "./ui/alert";
import { LinkButton } from "./ui/button";
import { SkipToMessages } from "./ui/skip-link";
import { useSocketEvent } from "./use-live";
import { useSocket } from "./use-socket";

/** A private conversation with `username`, found by name; the first message creates it. */
export function ConversationView({
  username,
  user,
  maxUploadBytes,
  openAt = null,
}: {
  username: string;
  user: { id: string; username: string };
  maxUploadBytes: number;
  /** the seq of a message to show on entering (a link to it) */
  openAt?: number | null;
}) {
  const t = useTranslations("conversation");
  const say = useProblemText();
  const { socket, connection } = useSocket();
  const [partner, setPartner] = useState<ConversationSummary["with"] | null>(null);
  const [fatal, setFatal] = useState<Problem | null>(null);
  const conversationId = useRef<string | null>(null);
  /** where "New messages" begins: the first message after my read mark when I came in */
  const [unreadFrom, setUnreadFrom] = useState<number | null>(null);
  const entered = useRef(false);
  /** after "mark as unread", reading no longer moves the mark until I come back */
  const holdMark = useRef(false);
  const self = username.toLowerCase() === user.username.toLowerCase();

  const source = useMemo<ThreadSource<WireDirectMessage> | null>(() => {
    if (!socket) return null;
    const page = (cursor: PageCursor, limit: number) =>
      conversationId.current
        ? request(socket, "dm:history", { conversationId: conversationId.current, ...cursor, limit })
        : Promise.resolve({ messages: [], hasMore: false });
    return {
      key: `dm:${username.toLowerCase()}`,
      enter: async () => {
        const { conversations } = await request(socket, "dm:list", {});
        const found = conversations.find((c) => c.with.username.toLowerCase() === username.toLowerCase());
        if (found) {
          conversationId.current = found.id;
          setPartner(found.with);
          if (!entered.current && found.unread > 0) setUnreadFrom(found.lastSeq - found.unread + 1);
          entered.current = true;
        } else {
          // no conversation yet: the person must exist before anything can be sent to them
          setPartner((await request(socket, "user:get", { username })).user);
        }
        return page({}, 50);
      },
      before: (seq) => page({ beforeSeq: seq }, 50),
      after: (seq) => page({ afterSeq: seq }, 50),
      around: (seq) =>
        conversationId.current
          ? request(socket, "dm:around", { conversationId: conversationId.current, seq, limit: 50 })
          : Promise.resolve({ messages: [], hasMoreBefore: false, hasMoreAfter: false }),
      sync: (rev) =>
        conversationId.current
          ? request(socket, "dm:sync", { conversationId: conversationId.current, afterRev: rev, limit: 200 })
          : Promise.resolve({ messages: [], rev, hasMore: false }),
      send: async (body, clientMsgId, replyTo) => {
        const target = conversationId.current ? { conversationId: conversationId.current } : { toUsername: username };
        const { message } = await request(socket, "dm:send", { ...target, body, clientMsgId, replyTo });
        conversationId.current = message.conversationId;
        return message;
      },
      upload: (file, clientMsgId, onProgress) => {
        const target = conversationId.current ? { conversationId: conversationId.current } : { to: username };
        const sent = uploadFile<WireDirectMessage>(file, target, clientMsgId, onProgress);
        return {
          done: sent.done.then((message) => {
            conversationId.current = message.conversationId;
            return message;
          }),
          cancel: sent.cancel,
        };
      },
      edit: async (messageId, body) =>
        (await request(socket, "dm:edit", { conversationId: conversationId.current as string, messageId, body })).message,
      remove: async (messageId) =>
        (await request(socket, "dm:delete", { conversationId: conversationId.current as string, messageId })).message,
      react: async (messageId, emoji, add) => {
        const payload = { conversationId: conversationId.current as string, messageId, emoji };
        return (await request(socket, add ? "reaction:add" : "reaction:remove", payload)).message as WireDirectMessage;
      },
      linkTo: (seq) => `/messages/${encodeURIComponent(username)}?m=${seq}`,
      event: "dm:new",
      updated: "dm:updated",
      typing: () => {
        if (conversationId.current) socket.emit("dm:typing", { conversationId: conversationId.current });
      },
      typingEvent: "dm:typing",
      here: (e) => "conversationId" in e && e.conversationId === conversationId.current,
      own: (m) => {
        if (!("conversationId" in m)) return null;
        // the first message of a conversation that did not exist yet names it
        if (!conversationId.current && m.author.username.toLowerCase() === username.toLowerCase()) {
          conversationId.current = m.conversationId;
        }
        return m.conversationId === conversationId.current ? m : null;
      },
      seen: async (seq, all) => {
        if (all) {
          holdMark.current = false;
          setUnreadFrom(null);
        }
        if (conversationId.current && !holdMark.current) {
          await request(socket, "dm:read", { conversationId: conversationId.current, seq });
        }
      },
      markUnread: async (seq) => {
        if (!conversationId.current) return;
        holdMark.current = true;
        await request(socket, "dm:unread", { conversationId: conversationId.current, seq });
        setUnreadFrom(seq);
      },
    };
  }, [socket, username]);

  const onError = useCallback((problem: Problem) => setFatal(problem), []);
  // they come online or go offline: the server tells the people they talk with
  useSocketEvent(socket, "presence:changed", (e) =>
    setPartner((p) => (p && p.id === e.userId && p.online !== e.online ? { ...p, online: e.online } : p)),
  );
  // without a connection nobody can be known to be online
  const online = connection === "connected" && partner?.online === true;

  return (
    <div className="flex h-full flex-col">
      <SkipToMessages />
      <AppHeader username={user.username} connection={connection} inThread>
        <div className="flex items-center justify-between gap-2">
          <ThreadTitle
            title={`@${username}`}
            subtitle={partner ? `${t("private")} · ${online ? t("online") : t("offline")}` : t("private")}
          />
          {!self && (
            <LinkButton href={`/messages/${encodeURIComponent(username)}/files`} className="shrink-0">
              {t("files")}
            </LinkButton>
          )}
        </div>
      </AppHeader>
      <div className="flex min-h-0 flex-1">
        <Navigator socket={socket} me={user} here={{ username }} />
        <main className="flex min-w-0 flex-1 flex-col">
          {fatal && <Alert className="m-3">{say(fatal, "conversation", { username })}</Alert>}
          {self ? (
            <p className="m-6 text-center text-slate-600 dark:text-slate-400">{t("self")}</p>
          ) : (
            source && (
              <ChatThread
                socket={socket}
                source={source}
                me={user}
                placeholder={t("placeholder", { username })}
                beginning={t("beginning", { username })}
                dropLabel={t("drop", { username })}
                maxUploadBytes={maxUploadBytes}
                onError={onError}
                unreadFrom={unreadFrom}
                openAt={openAt}
              />
            )
          )}
        </main>
      </div>
    </div>
  );
}
