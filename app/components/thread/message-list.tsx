"use client";

import { useTranslations } from "next-intl";
import { Fragment } from "react";
import { useFormat } from "@/app/lib/format";
import { type Problem, useProblemText } from "@/app/lib/problems";
import type { WireFile, WireMessageBase } from "@/server/protocol";
import { FileCard } from "../files/file-card";
import { type PendingUpload, UploadCard } from "../files/upload-card";
import { Button } from "../ui/button";
import { MessageActions, MessageEditor } from "./message-actions";

/** What the list shows of a message, room or private. */
export type ThreadMessage = WireMessageBase;

export interface PendingMessage {
  clientMsgId: string;
  body: string;
  status: "pending" | "failed";
  error?: Problem;
}

const GROUP_MS = 5 * 60 * 1000;

function initials(name: string): string {
  return name.slice(0, 2).toUpperCase();
}

function hue(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

function Avatar({ id, name }: { id: string; name: string }) {
  return (
    <span
      aria-hidden="true"
      className="grid h-9 w-9 shrink-0 place-items-center rounded-lg text-xs font-semibold text-white"
      style={{ backgroundColor: `hsl(${hue(id)} 55% 45%)` }}
    >
      {initials(name)}
    </span>
  );
}

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
  onRemoveFile,
  editing,
  onEdit,
  onChange,
  unreadFrom,
  onMarkUnread,
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
  /** removes a file I shared (file:remove) */
  onRemoveFile: (fileId: string) => Promise<unknown>;
  /** the id of my message being edited, if any */
  editing: string | null;
  /** starts (an id) or stops (null) editing one of my messages */
  onEdit: (messageId: string | null) => void;
  /** saves a new body for one of my messages, or (null) deletes it */
  onChange: (messageId: string, body: string | null) => Promise<void>;
  /** the seq where "New messages" begins, if any */
  unreadFrom: number | null;
  /** moves my read mark back to before a message (rooms) */
  onMarkUnread?: (seq: number) => Promise<void>;
}) {
  const t = useTranslations("thread");
  const say = useProblemText();
  const format = useFormat();
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
            !divider && prev && prev.author.id === m.author.id && Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
          const mine = m.author.id === me.id && !m.deletedAt;
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
              <li
                data-seq={m.seq}
                data-status={m.deletedAt ? "deleted" : "sent"}
                className={`group relative flex gap-3 rounded-lg px-2 ${grouped ? "py-0.5" : "mt-2 pt-1.5 pb-0.5"} hover:bg-slate-100 dark:hover:bg-slate-900`}
              >
                {grouped ? <span className="w-9 shrink-0" /> : <Avatar id={m.author.id} name={m.author.username} />}
                <div className="min-w-0 flex-1">
                  {!grouped && (
                    <p className="flex items-baseline gap-2">
                      <span translate="no" className="font-semibold">
                        {m.author.username}
                      </span>
                      <time dateTime={m.createdAt} className="text-xs text-slate-500 dark:text-slate-400">
                        {format.time(m.createdAt)}
                      </time>
                    </p>
                  )}
                  {m.deletedAt ? (
                    <p data-testid="deleted-message" className="text-sm text-slate-500 italic dark:text-slate-400">
                      {t("deleted")}
                    </p>
                  ) : editing === m.id ? (
                    <MessageEditor body={m.body} onCancel={() => onEdit(null)} onSave={(body) => onChange(m.id, body)} />
                  ) : (
                    m.body && (
                      <p className="whitespace-pre-wrap break-words text-[15px] leading-relaxed">
                        <span translate="no">{m.body}</span>
                        {m.editedAt && (
                          <span
                            className="ml-1.5 text-xs text-slate-500 dark:text-slate-400"
                            title={t("editedAt", { time: format.time(m.editedAt) })}
                          >
                            {t("edited")}
                          </span>
                        )}
                      </p>
                    )
                  )}
                  {m.file && (
                    <FileCard
                      file={m.file}
                      onRemove={m.author.id === me.id ? () => onRemoveFile((m.file as WireFile).id) : undefined}
                    />
                  )}
                </div>
                {(mine || (onMarkUnread && !m.deletedAt)) && editing !== m.id && (
                  // on hover or keyboard focus (always on touch screens, and while it asks before deleting)
                  <div className="absolute -top-3 right-2 rounded-lg border border-slate-200 bg-white px-0.5 shadow-sm opacity-0 group-hover:opacity-100 focus-within:opacity-100 has-[[role=group]]:opacity-100 [@media(hover:none)]:opacity-100 dark:border-slate-700 dark:bg-slate-900">
                    <MessageActions
                      onEdit={mine ? () => onEdit(m.id) : undefined}
                      onDelete={mine ? () => onChange(m.id, null) : undefined}
                      onMarkUnread={onMarkUnread && !m.deletedAt ? () => onMarkUnread(m.seq) : undefined}
                    />
                  </div>
                )}
              </li>
            </Fragment>
          );
        })}
        {pending.map((p) => (
          <Pending key={p.clientMsgId} me={me} status={p.status} label={p.status === "pending" ? t("sending") : t("notSent")}>
            <p
              className={`whitespace-pre-wrap break-words text-[15px] leading-relaxed ${p.status === "pending" ? "opacity-60" : ""}`}
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
