"use client";

import Link from "next/link";
import { useCallback, useMemo, useRef, useState } from "react";
import type { ConversationSummary, WireDirectMessage } from "@/server/protocol";
import { AppHeader, ThreadTitle } from "./app-header";
import { ChatThread, type ThreadSource } from "./chat-thread";
import { uploadFile } from "./files";
import { call, useSocket } from "./use-socket";

/** A private conversation with `username`, found by name; the first message creates it. */
export function ConversationView({
  username,
  user,
  maxUploadBytes,
}: {
  username: string;
  user: { id: string; username: string };
  maxUploadBytes: number;
}) {
  const { socket, connection } = useSocket();
  const [partner, setPartner] = useState<ConversationSummary["with"] | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const conversationId = useRef<string | null>(null);
  const readUpTo = useRef(0);
  const self = username.toLowerCase() === user.username.toLowerCase();

  const source = useMemo<ThreadSource<WireDirectMessage> | null>(() => {
    if (!socket) return null;
    const page = (cursor: { beforeSeq?: number; afterSeq?: number }, limit: number) =>
      conversationId.current
        ? call(socket, "dm:history", { conversationId: conversationId.current, ...cursor, limit })
        : Promise.resolve({ messages: [], hasMore: false });
    return {
      enter: async () => {
        const { conversations } = await call(socket, "dm:list", {});
        const found = conversations.find((c) => c.with.username.toLowerCase() === username.toLowerCase());
        if (found) {
          conversationId.current = found.id;
          setPartner(found.with);
        } else {
          // no conversation yet: the person must exist before anything can be sent to them
          setPartner((await call(socket, "user:get", { username })).user);
        }
        return page({}, 50);
      },
      before: (seq) => page({ beforeSeq: seq }, 50),
      after: (seq) => page({ afterSeq: seq }, 100),
      send: async (body, clientMsgId) => {
        const target = conversationId.current ? { conversationId: conversationId.current } : { toUsername: username };
        const { message } = await call(socket, "dm:send", { ...target, body, clientMsgId });
        conversationId.current = message.conversationId;
        return message;
      },
      upload: (file, clientMsgId, onProgress) => {
        const target: Record<string, string> = conversationId.current
          ? { conversationId: conversationId.current }
          : { to: username };
        const sent = uploadFile<WireDirectMessage>(file, target, clientMsgId, onProgress);
        return {
          done: sent.done.then((message) => {
            conversationId.current = message.conversationId;
            return message;
          }),
          cancel: sent.cancel,
        };
      },
      subscribe: (s, onMessage) => {
        const handler = (m: WireDirectMessage) => {
          // the first message of a conversation that did not exist yet names it
          if (!conversationId.current && m.author.username.toLowerCase() === username.toLowerCase()) {
            conversationId.current = m.conversationId;
          }
          if (m.conversationId === conversationId.current) onMessage(m);
        };
        s.on("dm:new", handler);
        return () => s.off("dm:new", handler);
      },
      seen: (seq) => {
        if (!conversationId.current || seq <= readUpTo.current || document.visibilityState !== "visible") return;
        readUpTo.current = seq;
        void call(socket, "dm:read", { conversationId: conversationId.current, seq }).catch(() => {
          readUpTo.current = 0;
        });
      },
    };
  }, [socket, username]);

  const onError = useCallback((message: string) => setFatal(message), []);

  return (
    <div className="flex h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <div className="flex items-center justify-between gap-2">
          <ThreadTitle
            title={`@${username}`}
            subtitle={`Private conversation${partner ? ` · ${partner.online ? "online" : "offline"}` : ""}`}
          />
          {!self && (
            <Link
              href={`/messages/${encodeURIComponent(username)}/files`}
              className="shrink-0 rounded-md border border-slate-300 px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              Files
            </Link>
          )}
        </div>
      </AppHeader>
      <main className="flex min-h-0 flex-1 flex-col">
        {fatal && (
          <p
            role="alert"
            className="m-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
          >
            {fatal}
          </p>
        )}
        {self ? (
          <p className="m-6 text-center text-slate-600 dark:text-slate-400">This is you. Pick someone else to talk to.</p>
        ) : (
          source && (
            <ChatThread
              socket={socket}
              source={source}
              me={user}
              placeholder={`Message @${username}`}
              beginning={`This is the beginning of your conversation with @${username}.`}
              dropLabel={`Drop files to share them with @${username}`}
              maxUploadBytes={maxUploadBytes}
              onError={onError}
            />
          )
        )}
      </main>
    </div>
  );
}
