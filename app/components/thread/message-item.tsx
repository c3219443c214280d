"use client";

// One stored message in a thread: who and when (unless grouped with the one before), the
// message it replies to, its text as Markdown, its file, its reactions, how many replied, and
// its toolbar (hover, keyboard focus, or a long press on a phone) with the reaction picker.
import { useTranslations } from "next-intl";
import { useMemo, useRef, useState } from "react";
import { useFormat } from "@/app/lib/format";
import type { Mentions, ReplyQuote, Via, WireFile } from "@/server/protocol";
import { mentionsUser } from "@/server/protocol/mentions";
import { Avatar } from "../avatar";
import { FileCard } from "../files/file-card";
import { openProfile } from "../profile-card";
import { shownName, useProfile } from "../profiles";
import { MessageActions, MessageEditor } from "./message-actions";
import { MessageBody, type ShownMentions } from "./message-body";
import type { ThreadMessage } from "./message-list";
import { ReactionBar, ReactionPicker } from "./reactions";

/** What the thread does for a message; every one of them is optional but removeFile and change. */
export interface MessageListActions {
  /** removes a file I shared (file:remove) */
  removeFile: (fileId: string) => Promise<unknown>;
  /** starts (an id) or stops (null) editing one of my messages */
  edit: (messageId: string | null) => void;
  /** saves a new body for one of my messages, or (null) deletes it */
  change: (messageId: string, body: string | null) => Promise<void>;
  /** adds or takes back my reaction */
  react: (messageId: string, emoji: string, add: boolean) => void;
  /** starts a reply to the message */
  reply: (message: ThreadMessage) => void;
  /** shows message `seq` (loading older history if needed) and highlights it */
  jump: (seq: number) => void;
  /** copies a link that opens the thread at message `seq` */
  copyLink: (seq: number) => void;
  /** copies a message's text */
  copyText: (body: string) => void;
  /** moves my read mark back to before a message (rooms) */
  markUnread?: (seq: number) => Promise<void>;
  /** opens a shared picture in the viewer */
  viewPicture: (fileId: string) => void;
  /** true for a room's owner and admins: they may delete anyone's message */
  moderator?: boolean;
  /** pins or unpins a message (given to a room's owner and admins) */
  pin?: (messageId: string, pinned: boolean) => void;
}

const LONG_PRESS_MS = 500;

const HOUR_MS = 60 * 60 * 1000;

const BADGE =
  "ml-1.5 rounded bg-slate-200 px-1 py-px align-[0.1em] text-[0.65rem] font-semibold tracking-wide text-slate-700 uppercase dark:bg-slate-700 dark:text-slate-200";

/**
 * An author's name (their display name, if they set one): a button that opens their card. A
 * bot's is marked; a webhook's message shows the name it asked for, marked "via webhook".
 */
function AuthorName({ user, via }: { user: { id: string; username: string }; via?: Via }) {
  const t = useTranslations("thread");
  const profile = useProfile(user.id);
  const name = via?.name || shownName(user, profile);
  return (
    <button type="button" onClick={() => openProfile(user.id)} className="font-semibold hover:underline" translate="no">
      {name}
      {profile?.displayName && !via?.name && (
        <span className="ml-1.5 font-normal text-slate-600 dark:text-slate-400">@{user.username}</span>
      )}
      {via ? (
        <span data-testid="via-webhook" className={BADGE} translate="yes">
          {t("viaWebhook")}
        </span>
      ) : (
        profile?.bot && (
          <span data-testid="bot-badge" className={BADGE} translate="yes">
            {t("bot")}
          </span>
        )
      )}
    </button>
  );
}

/** "↩ alice: the first line": a reply's quote of its original; a button that shows it, when given `onJump`. */
export function Quote({ quote, onJump }: { quote: ReplyQuote; onJump?: (seq: number) => void }) {
  const t = useTranslations("thread");
  const quoted = useProfile(quote.author.id);
  const text = quote.deleted ? t("originalDeleted") : quote.excerpt || t("originalFile");
  const inner = (
    <>
      <span translate="no" className="font-semibold text-slate-700 dark:text-slate-200">
        {shownName(quote.author, quoted)}
      </span>{" "}
      <span translate={quote.deleted ? undefined : "no"} className={`truncate ${quote.deleted ? "italic" : ""}`}>
        {text}
      </span>
    </>
  );
  const className =
    "mb-0.5 flex max-w-full items-baseline gap-1.5 border-l-2 border-brand-500/60 pl-2 text-left text-xs text-slate-500 dark:text-slate-400";
  return onJump ? (
    <button
      type="button"
      data-testid="reply-quote"
      aria-label={t("quoteOf", { username: quote.author.username, excerpt: text })}
      onClick={() => onJump(quote.seq)}
      className={`${className} hover:text-slate-800 dark:hover:text-slate-100`}
    >
      {inner}
    </button>
  ) : (
    <p className={className}>{inner}</p>
  );
}

export function MessageItem({
  message: m,
  grouped,
  me,
  editing,
  highlighted,
  terms,
  actions,
}: {
  message: ThreadMessage;
  /** the same author just before: no name and avatar again */
  grouped: boolean;
  me: string;
  editing: boolean;
  highlighted: boolean;
  /** a search's terms to mark in it (the message a search result opened) */
  terms?: string[];
  actions: MessageListActions;
}) {
  const t = useTranslations("thread");
  const format = useFormat();
  const [picking, setPicking] = useState(false);
  const [selected, setSelected] = useState(false);
  const press = useRef<ReturnType<typeof setTimeout> | null>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  const mine = m.author.id === me && !m.deletedAt;
  // a room message that mentions me (by name, @room, @here) stands out, unless I wrote it
  const mentions = "mentions" in m ? (m.mentions as Mentions) : undefined;
  const shown = useMemo<ShownMentions | undefined>(
    () => mentions && { ...mentions, me: mentions.names[mentions.users.indexOf(me)] ?? "" },
    [mentions, me],
  );
  const callsMe = !mine && !m.deletedAt && mentionsUser(mentions, me);
  const alive = !m.deletedAt;
  const stopPress = () => {
    if (press.current) clearTimeout(press.current);
    press.current = null;
  };
  // edited long ago: say when, not just that
  const editedTitle = m.editedAt
    ? t("editedAt", {
        time: Date.parse(m.editedAt) - Date.parse(m.createdAt) > HOUR_MS ? format.relative(m.editedAt) : format.time(m.editedAt),
      })
    : undefined;

  return (
    <li
      data-seq={m.seq}
      data-status={m.deletedAt ? "deleted" : "sent"}
      data-highlighted={highlighted || undefined}
      // a long press on a touch screen shows the toolbar (a phone has no hover)
      onPointerDown={(e) => {
        if (e.pointerType !== "touch" || !alive) return;
        stopPress();
        // a tap beside the toolbar puts it away again
        if (selected && !toolbar.current?.contains(e.target as Node)) setSelected(false);
        else press.current = setTimeout(() => setSelected(true), LONG_PRESS_MS);
      }}
      onPointerUp={stopPress}
      onPointerMove={stopPress}
      onPointerCancel={stopPress}
      onContextMenu={(e) => {
        if (selected || press.current) e.preventDefault();
      }}
      data-mentions-me={callsMe || undefined}
      className={`group relative flex gap-3 rounded-lg px-2 transition-colors duration-700 ${grouped ? "py-0.5" : "mt-2 pt-1.5 pb-0.5"} ${
        highlighted
          ? "bg-amber-100 dark:bg-amber-500/20"
          : callsMe
            ? "bg-amber-50 shadow-[inset_3px_0_0_0_var(--color-amber-400)] hover:bg-amber-100/70 dark:bg-amber-400/10 dark:hover:bg-amber-400/15"
            : "hover:bg-slate-100 dark:hover:bg-slate-900"
      }`}
    >
      {grouped ? (
        <span className="w-9 shrink-0" />
      ) : (
        <button type="button" tabIndex={-1} aria-hidden="true" onClick={() => openProfile(m.author.id)} className="self-start">
          <Avatar id={m.author.id} name={m.via?.name || m.author.username} />
        </button>
      )}
      {/* lines of at most about 75 characters: long lines are hard to read on a wide screen */}
      <div className="min-w-0 max-w-[75ch] flex-1">
        {!grouped && (
          <p className="flex items-baseline gap-2">
            <AuthorName user={m.author} via={m.via} />
            <time dateTime={m.createdAt} className="text-xs text-slate-600 dark:text-slate-400">
              {format.time(m.createdAt)}
            </time>
          </p>
        )}
        {m.pinned && (
          <p className="text-xs font-medium text-amber-700 dark:text-amber-300">
            <span aria-hidden="true">📌 </span>
            {t("pinned")}
          </p>
        )}
        {m.replyTo && <Quote quote={m.replyTo} onJump={actions.jump} />}
        {m.deletedAt ? (
          <p data-testid="deleted-message" className="text-sm text-slate-500 italic dark:text-slate-400">
            {m.deletedByModerator ? t("removedByModerator") : t("deleted")}
          </p>
        ) : editing ? (
          <MessageEditor body={m.body} onCancel={() => actions.edit(null)} onSave={(body) => actions.change(m.id, body)} />
        ) : (
          m.body && (
            <MessageBody
              body={m.body}
              mentions={shown}
              terms={terms}
              editedLabel={m.editedAt ? t("edited") : undefined}
              editedTitle={editedTitle}
            />
          )
        )}
        {m.file && (
          <FileCard
            file={m.file}
            onRemove={m.author.id === me ? () => actions.removeFile((m.file as WireFile).id) : undefined}
            onView={() => actions.viewPicture((m.file as WireFile).id)}
          />
        )}
        {alive && (
          <ReactionBar
            reactions={m.reactions}
            me={me}
            onToggle={(emoji, add) => actions.react(m.id, emoji, add)}
            onAdd={() => setPicking(true)}
          />
        )}
        {m.replyCount > 0 && (
          <p className="mt-0.5 text-xs font-medium text-brand-600 dark:text-brand-100">{t("replies", { count: m.replyCount })}</p>
        )}
      </div>
      {alive && !editing && (
        <div
          ref={toolbar}
          data-testid="message-toolbar"
          className={`absolute -top-3 right-2 rounded-lg border border-slate-200 bg-white px-0.5 shadow-sm group-hover:opacity-100 focus-within:opacity-100 has-[[role=group]]:opacity-100 has-[[role=menu]]:opacity-100 dark:border-slate-700 dark:bg-slate-900 ${
            selected || picking ? "opacity-100" : "opacity-0"
          }`}
        >
          <MessageActions
            onReact={() => setPicking(true)}
            onReply={() => {
              setSelected(false);
              actions.reply(m);
            }}
            onEdit={mine ? () => actions.edit(m.id) : undefined}
            onDelete={mine || actions.moderator ? () => actions.change(m.id, null) : undefined}
            onMarkUnread={actions.markUnread ? () => actions.markUnread?.(m.seq) ?? Promise.resolve() : undefined}
            onCopyText={m.body ? () => actions.copyText(m.body) : undefined}
            onCopyLink={() => actions.copyLink(m.seq)}
            onPin={actions.pin ? () => actions.pin?.(m.id, !m.pinned) : undefined}
            pinned={m.pinned !== undefined}
          />
        </div>
      )}
      {picking && (
        <ReactionPicker
          onPick={(emoji) => actions.react(m.id, emoji, true)}
          onClose={() => {
            setPicking(false);
            setSelected(false);
          }}
        />
      )}
    </li>
  );
}
