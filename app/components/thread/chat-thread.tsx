"use client";

import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { copy } from "@/app/lib/clipboard";
import { gapsOf } from "@/app/lib/merge";
import type { Problem } from "@/app/lib/problems";
import type { ReplyQuote } from "@/server/protocol";
import { newClientMsgId } from "@/server/protocol/client-ids";
import { excerptOf } from "@/server/protocol/text";
import { PictureViewer } from "../files/picture-viewer";
import type { ChatSocket } from "../use-socket";
import { Composer } from "./composer";
import { DropZone } from "./drop-zone";
import type { Mentionable } from "./mention-picker";
import { MessageList, type ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";
import { usePendingSends } from "./use-pending-sends";
import { useReadingPlace } from "./use-reading-place";
import { useStickToBottom } from "./use-stick-to-bottom";
import { useThreadMessages } from "./use-thread-messages";
import { useTyping } from "./use-typing";
import { useUploads } from "./use-uploads";

/**
 * A conversation's messages and composer: the newest page on entering, older pages as the reader
 * scrolls up, live messages, pending/sent/failed sends with retry, files dropped, pasted or
 * attached, and after a reconnect what was missed, by seq, without gaps or duplicates.
 */
export function ChatThread<M extends ThreadMessage>({
  socket,
  source,
  me,
  placeholder,
  beginning,
  dropLabel,
  maxUploadBytes,
  onError,
  unreadFrom = null,
  openAt = null,
  empty = null,
  people,
  readOnly,
  moderator = false,
  pin,
  jumpTo,
}: {
  socket: ChatSocket | null;
  source: ThreadSource<M>;
  me: { id: string; username: string };
  placeholder: string;
  beginning: string;
  /** what dropping files here does, e.g. "Drop files to share them in #general" */
  dropLabel: string;
  maxUploadBytes: number;
  onError(problem: Problem): void;
  /** where "New messages" begins (rooms), if anywhere */
  unreadFrom?: number | null;
  /** the seq of a message to show on entering (a link to it) */
  openAt?: number | null;
  /** what a thread without messages says: how to start, what can be done */
  empty?: React.ReactNode;
  /** who can be mentioned with "@" (a room's members) */
  people?: Mentionable[];
  /** why nothing can be written here (an archived room): said in place of the composer */
  readOnly?: string;
  /** I may delete anyone's message (a room's owner or admin) */
  moderator?: boolean;
  /** pins or unpins a message (a room's owner or admin); undefined: not offered */
  pin?: (messageId: string, pinned: boolean) => Promise<unknown>;
  /** set to a function that shows message `seq` here (the pinned messages' "Go to message") */
  jumpTo?: React.RefObject<((seq: number) => void) | null>;
}) {
  const t = useTranslations("thread");
  const thread = useThreadMessages(socket, source, {
    onError,
    // my message arrived live (from this tab's send, or another tab's): it is no longer on its way
    onLive: (m) => {
      typists.stopped(m.author.id);
      if (m.author.id !== me.id) return;
      sends.arrived(m.clientMsgId);
      uploads.arrived(m.clientMsgId);
    },
  });
  const sends = usePendingSends(socket, source, `komnata-outbox:${me.id}:${source.key}`, thread.add);
  const typists = useTyping(socket, source, me.id);
  /** my message being edited in place */
  const [editing, setEditing] = useState<string | null>(null);
  const editLast = () => {
    const mine = thread.messages.findLast((m) => m.author.id === me.id && !m.deletedAt && m.body !== "");
    if (mine) setEditing(mine.id);
  };
  const uploads = useUploads(source, maxUploadBytes, thread.add);
  /** the message my next send answers */
  const [replyingTo, setReplyingTo] = useState<ReplyQuote | null>(null);
  /** the picture open in the viewer, by file id */
  const [viewing, setViewing] = useState<string | null>(null);
  const pictures = useMemo(
    () => thread.messages.flatMap((m) => (m.file?.thumbnail && !m.file.removed && !m.deletedAt ? [m.file] : [])),
    [thread.messages],
  );
  const closeViewer = useCallback(() => setViewing(null), []);
  /** a short word on what just happened ("Link copied") */
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 2500);
    return () => clearTimeout(timer);
  }, [notice]);
  const shown = useMemo(
    () => [thread.messages, sends.pending, uploads.uploads.length],
    [thread.messages, sends.pending, uploads.uploads.length],
  );
  const view = useStickToBottom(shown, () => {
    void thread.loadOlder(view.keepPlace);
  });

  // Jumping to a message (a reply's original, a link): load back to it, show it, highlight it.
  // Coming back to where a reload left the reader: the same, at the top of the view, unmarked.
  const [target, setTarget] = useState<{ seq: number; highlight: boolean } | null>(null);
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const { reveal } = thread;
  const jump = useCallback(
    async (seq: number, highlight = true) => {
      if (await reveal(seq).catch(() => false)) setTarget({ seq, highlight });
      else if (highlight) setNotice(t("messageGone"));
    },
    [reveal, t],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: once the message is on the page, after each change of the list
  useLayoutEffect(() => {
    if (target === null) return;
    const element = view.scroller.current?.querySelector(`[data-seq="${target.seq}"]`);
    if (!element) return;
    if (target.highlight) {
      view.reveal(element);
      setHighlighted(target.seq);
    } else view.showFrom(element);
    setTarget(null);
  }, [target, thread.messages]);
  useEffect(() => {
    if (highlighted === null) return;
    const timer = setTimeout(() => setHighlighted(null), 2500);
    return () => clearTimeout(timer);
  }, [highlighted]);
  useEffect(() => {
    if (!jumpTo) return;
    jumpTo.current = (seq) => void jump(seq);
    return () => {
      jumpTo.current = null;
    };
  }, [jumpTo, jump]);
  // opened from a search result (`?m=12&hl=term&hl=…`): its terms are marked in that message
  const searchParams = useSearchParams();
  const terms = searchParams.getAll("hl").slice(0, 16).join("\n");
  const found = useMemo(
    () => (openAt !== null && terms !== "" ? { seq: openAt, terms: terms.split("\n") } : null),
    [openAt, terms],
  );
  const place = useReadingPlace(`komnata-place:${me.id}:${source.key}`);

  // Entering: a link to a message wins, then where a reload left the reader, then where reading
  // resumes ("New messages", below), else the newest.
  const shownFrom = useRef<number | null>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (!thread.ready || opened.current) return;
    opened.current = true;
    const back = openAt === null ? place.saved() : null;
    const seq = openAt ?? back;
    if (seq === null) return;
    shownFrom.current = seq;
    void jump(seq, openAt !== null);
  }, [openAt, thread.ready, jump, place]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once the divider is on the page, after each change of the list
  useLayoutEffect(() => {
    // (not again when "mark unread" moves it: the reader is looking at that message already)
    if (unreadFrom === null || shownFrom.current !== null) return;
    const divider = view.scroller.current?.querySelector('[data-testid="unread-divider"]');
    if (!divider) return;
    shownFrom.current = unreadFrom;
    view.showFrom(divider);
  }, [thread.messages, unreadFrom]);
  // Reading older messages while new ones arrive: a button says so and goes down to them.
  const newest = thread.messages.at(-1)?.seq ?? 0;
  const [behind, setBehind] = useState(false);
  const seenNewest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: when the newest message changes, not the view
  useEffect(() => {
    if (seenNewest.current !== 0 && newest > seenNewest.current && !view.atBottom()) setBehind(true);
    seenNewest.current = newest;
  }, [newest]);
  // Opened far back (a search result): the newest messages are below a gap, a button away.
  const gapped = useMemo(() => gapsOf(thread.messages).size > 0, [thread.messages]);
  const [away, setAway] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the scroller is the same element throughout
  useEffect(() => {
    const el = view.scroller.current;
    if (!el || !gapped) {
      setAway(false);
      return;
    }
    const check = () => setAway(el.scrollHeight - el.scrollTop - el.clientHeight >= 80);
    check();
    el.addEventListener("scroll", check, { passive: true });
    return () => el.removeEventListener("scroll", check);
  }, [gapped]);
  const toNewest = () => {
    setBehind(false);
    view.stickToBottom();
    const el = view.scroller.current;
    el?.scrollTo({ top: el.scrollHeight });
  };

  // Escape, when nothing else took it (a menu, an edit, a reply, a dialog), marks it all read.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || newest === 0 || !source.seen) return;
      source.seen(newest, true).then(
        () => setNotice(t("markedRead")),
        () => undefined,
      );
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [newest, source, t]);

  // The first page may not fill a tall screen: keep loading until it scrolls or history ends.
  const { messages, hasMore, loadOlder } = thread;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure after each change of the list
  useEffect(() => {
    if (hasMore && view.underfilled()) void loadOlder(view.keepPlace);
  }, [messages, hasMore, loadOlder]);

  const canShare = thread.ready && socket !== null && readOnly === undefined;
  const share = (files: File[]) => {
    view.stickToBottom();
    for (const file of files) uploads.share(file);
  };

  return (
    <DropZone enabled={canShare} label={dropLabel} waitLabel={t("dropWait")} onFiles={share}>
      <section
        ref={view.scroller}
        onScroll={() => {
          view.onScroll();
          if (view.atBottom()) setBehind(false);
          place.remember(view.scroller.current, view.atBottom);
        }}
        className="min-h-0 flex-1 overflow-y-auto px-3 py-4 sm:px-5"
        data-testid="message-scroller"
        data-scroll-area
        id="messages"
        // where "Skip to messages" lands: focused, the arrow keys scroll it
        tabIndex={-1}
        aria-label={t("messagesRegion")}
      >
        {thread.loadingOlder && <p className="pb-2 text-center text-xs text-slate-500">{t("loadingOlder")}</p>}
        {!thread.hasMore && thread.ready && (
          <p className="pb-4 text-center text-xs text-slate-500 dark:text-slate-400">{beginning}</p>
        )}
        {thread.ready && thread.messages.length === 0 && !thread.hasMore && sends.pending.length === 0 && empty}
        <MessageList
          messages={thread.messages}
          pending={sends.pending}
          uploads={uploads.uploads}
          me={me}
          busy={!thread.ready || thread.loadingOlder}
          filling={thread.filling}
          found={found}
          onFillGap={(seq) => void thread.fillGap(seq)}
          onRetry={(item) => {
            view.stickToBottom();
            void sends.deliver(item);
          }}
          onRetryUpload={(u) => {
            view.stickToBottom();
            uploads.share(u.file, u.clientMsgId);
          }}
          onDismissUpload={uploads.dismiss}
          editing={editing}
          unreadFrom={unreadFrom}
          highlighted={highlighted}
          actions={{
            removeFile: thread.removeFile,
            edit: setEditing,
            change: async (messageId, body) => {
              await thread.change(messageId, body);
              setEditing(null);
            },
            react: (messageId, emoji, add) => {
              thread.react(messageId, emoji, add).catch(() => setNotice(t("reactionFailed")));
            },
            reply: (m) => {
              setEditing(null);
              setReplyingTo({
                id: m.id,
                seq: m.seq,
                author: m.author,
                excerpt: excerptOf(m.body) || (m.file?.name ?? ""),
                deleted: false,
              });
            },
            jump: (seq) => void jump(seq),
            copyText: (body) => void copy(body).then((done) => setNotice(done ? t("textCopied") : null)),
            copyLink: (seq) =>
              void copy(new URL(source.linkTo(seq), window.location.href).href).then((done) =>
                setNotice(done ? t("linkCopied") : null),
              ),
            markUnread: source.markUnread ? (seq) => source.markUnread?.(seq) ?? Promise.resolve() : undefined,
            viewPicture: setViewing,
            moderator,
            pin: pin ? (messageId, pinned) => void pin(messageId, pinned).catch(() => setNotice(t("pinFailed"))) : undefined,
          }}
        />
      </section>
      {viewing && <PictureViewer pictures={pictures} start={viewing} onClose={closeViewer} />}
      {(behind || away) && (
        <button
          type="button"
          onClick={toNewest}
          className="absolute bottom-28 left-1/2 z-10 -translate-x-1/2 rounded-full bg-brand-600 px-4 py-1.5 text-sm font-medium text-white shadow-lg hover:bg-brand-700"
        >
          {behind ? t("jumpToNew") : t("jumpToNewest")}
        </button>
      )}
      {readOnly === undefined ? (
        <Composer
          disabled={!canShare}
          placeholder={placeholder}
          onSend={(body) => {
            typists.sent();
            view.stickToBottom();
            void sends.deliver({ clientMsgId: newClientMsgId(), body, status: "pending", replyTo: replyingTo ?? undefined });
            setReplyingTo(null);
          }}
          replyingTo={replyingTo}
          onCancelReply={() => setReplyingTo(null)}
          draftKey={`komnata-draft:${me.id}:${source.key}`}
          people={people}
          me={me.id}
          onAttach={share}
          onEditLast={editLast}
          onType={typists.typing}
          typing={
            notice ? (
              <p role="status" className="h-5 truncate px-1 text-xs font-medium text-emerald-700 dark:text-emerald-300">
                {notice}
              </p>
            ) : (
              <TypingLine names={typists.names} />
            )
          }
        />
      ) : (
        <p
          role="status"
          className="border-t border-slate-200 bg-amber-50 px-4 py-3 text-center text-sm text-amber-900 dark:border-slate-800 dark:bg-amber-500/15 dark:text-amber-100"
        >
          {readOnly}
        </p>
      )}
    </DropZone>
  );
}

/** "alice is typing…", "alice and bob are typing…", "Several people are typing…", or nothing. */
function TypingLine({ names }: { names: string[] }) {
  const t = useTranslations("thread");
  return (
    <p aria-live="polite" className="h-5 truncate px-1 text-xs text-slate-500 italic dark:text-slate-400">
      {names.length > 0 && t("typing", { count: names.length, first: names[0], second: names[1] ?? "" })}
    </p>
  );
}
