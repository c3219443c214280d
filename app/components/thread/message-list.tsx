"use client";

import { useTranslations } from "next-intl";
import { Fragment } from "react";
import { type Problem, useProblemText } from "@/app/lib/problems";
import type { ReplyQuote, WireMessageBase } from "@/server/protocol";
import { Avatar } from "../avatar";
import { type PendingUpload, UploadCard } from "../files/upload-card";
import { Button } from "../ui/button";
import { MessageItem, type MessageListActions, Quote } from "./message-item";

/** What the list shows of a message, room or private. */
export type ThreadMessage = WireMessageBase;

export interface PendingMessage {
  clientMsgId: string;
  body: string;
  /** the message it answers, as shown while it is on its way */
  replyTo?: ReplyQuote;
  /** on its way; waiting for the connection to come back (it goes by itself); refused */
  status: "pending" | "waiting" | "failed";
  error?: Problem;
}

const GROUP_MS = 5 * 60 * 1000;

/** One of my own messages or files on its way: who, how far, and what. */
function Pending({
  me,
  status,
  label,
  children,
}: {
  me: { id: string; username: string };
  status: string;
  label: string;
  children: React.ReactNode;
}) {
  return (
    <li data-status={status} className="mt-2 flex gap-3 rounded-lg px-2 pt-1.5 pb-0.5">
      <Avatar id={me.id} name={me.username} />
      <div className="min-w-0 flex-1">
        <p className="flex items-baseline gap-2">
          <span translate="no" className="font-semibold">
            {me.username}
          </span>
          <span className="text-xs text-slate-500 dark:text-slate-400">{label}</span>
        </p>
        {children}
      </div>
    </li>
  );
}

export function MessageList({
  messages,
  pending,
  uploads,
  me,
  busy,
  onRetry,
  onRetryUpload,
  onDismissUpload,
  editing,
  unreadFrom,
  highlighted,
  actions,
  filling,
  onFillGap,
  found = null,
}: {
  messages: ThreadMessage[];
  pending: PendingMessage[];
  uploads: PendingUpload[];
  me: { id: string; username: string };
  /** true while a page is loading: screen readers wait before reading what was added */
  busy: boolean;
  onRetry: (item: PendingMessage) => void;
  onRetryUpload: (item: PendingUpload) => void;
  onDismissUpload: (item: PendingUpload) => void;
  /** the id of my message being edited, if any */
  editing: string | null;
  /** the seq where "New messages" begins, if any */
  unreadFrom: number | null;
  /** the seq of the message just jumped to, shown highlighted for a moment */
  highlighted: number | null;
  actions: MessageListActions;
  /** the seq after which a gap is being filled, if one is */
  filling: number | null;
  /** loads the messages after `seq`, where the list skips some (a search result opened far back) */
  onFillGap: (seq: number) => void;
  /** the message a search result opened, and the search's terms to mark in it */
  found?: { seq: number; terms: string[] } | null;
}) {
  const t = useTranslations("thread");
  const say = useProblemText();
  return (
    // a log: screen readers announce new messages politely, as they arrive
    <div role="log" aria-live="polite" aria-label={t("history")} aria-busy={busy}>
      <ol aria-label={t("messages")} className="space-y-0.5">
        {messages.map((m, i) => {
          const prev = messages[i - 1];
          // before the first message shown at or past where reading resumes (older unread ones
          // may still be above, not loaded yet)
          const divider = unreadFrom !== null && m.seq >= unreadFrom && (i === 0 || messages[i - 1].seq < unreadFrom);
          const grouped =
            !divider &&
            prev &&
            prev.author.id === m.author.id &&
            // a webhook's messages under different names are told apart
            prev.via?.name === m.via?.name &&
            Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
          return (
            <Fragment key={m.id}>
              {divider && (
                <li
                  data-testid="unread-divider"
                  className="my-2 flex items-center gap-2 text-xs font-semibold text-red-600 dark:text-red-400"
                >
                  <span className="h-px flex-1 bg-red-300 dark:bg-red-800" />
                  {t("newMessages")}
                  <span className="h-px flex-1 bg-red-300 dark:bg-red-800" />
                </li>
              )}
              <MessageItem
                message={m}
                grouped={!!grouped}
                me={me.id}
                editing={editing === m.id}
                highlighted={highlighted === m.seq}
                terms={found?.seq === m.seq ? found.terms : undefined}
                actions={actions}
              />
              {messages[i + 1] && messages[i + 1].seq > m.seq + 1 && (
                <li className="my-3 flex items-center gap-2">
                  <span className="h-px flex-1 border-t border-dashed border-slate-300 dark:border-slate-700" />
                  <Button variant="secondary" size="xs" onClick={() => onFillGap(m.seq)} disabled={filling === m.seq}>
                    {filling === m.seq ? t("loadingGap") : t("gap", { count: messages[i + 1].seq - m.seq - 1 })}
                  </Button>
                  <span className="h-px flex-1 border-t border-dashed border-slate-300 dark:border-slate-700" />
                </li>
              )}
            </Fragment>
          );
        })}
        {pending.map((p) => (
          <Pending
            key={p.clientMsgId}
            me={me}
            status={p.status}
            label={p.status === "pending" ? t("sending") : p.status === "waiting" ? t("waitingToSend") : t("notSent")}
          >
            {p.replyTo && <Quote quote={p.replyTo} />}
            <p
              className={`whitespace-pre-wrap break-words text-[15px] leading-relaxed ${p.status === "failed" ? "" : "opacity-60"}`}
            >
              {p.body}
            </p>
            {p.status === "failed" && (
              <p role="alert" className="mt-1 flex flex-wrap items-center gap-2 text-sm text-red-700 dark:text-red-300">
                <span>{say(p.error, "send")}</span>
                <Button variant="danger" size="xs" onClick={() => onRetry(p)}>
                  {t("retry")}
                </Button>
              </p>
            )}
          </Pending>
        ))}
        {uploads.map((u) => (
          <Pending
            key={u.clientMsgId}
            me={me}
            status={u.status}
            label={u.status === "failed" ? t("notShared") : u.status === "queued" ? t("waiting") : t("uploading")}
          >
            <UploadCard upload={u} onRetry={() => onRetryUpload(u)} onDismiss={() => onDismissUpload(u)} />
          </Pending>
        ))}
      </ol>
    </div>
  );
}
