"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { Composer } from "./composer";
import { formatSize, type PendingUpload, UploadCancelled } from "./files";
import { MessageList, type PendingMessage, type ThreadMessage } from "./message-list";
import type { ChatSocket } from "./use-socket";

export interface ThreadPage<M> {
  messages: M[];
  hasMore: boolean;
}

/** Where a thread's messages come from: a room or a private conversation. */
export interface ThreadSource<M extends ThreadMessage> {
  /** The newest page, on entering (and the place to load what goes with it). */
  enter(): Promise<ThreadPage<M>>;
  before(seq: number): Promise<ThreadPage<M>>;
  after(seq: number): Promise<ThreadPage<M>>;
  send(body: string, clientMsgId: string): Promise<M>;
  /** Shares a file (components/files.tsx uploadFile): resolves with the message carrying it. */
  upload(file: File, clientMsgId: string, onProgress: (fraction: number) => void): { done: Promise<M>; cancel(): void };
  /** Calls `onMessage` for each live message of this thread; returns the unsubscribe. */
  subscribe(socket: ChatSocket, onMessage: (m: M) => void): () => void;
  /** The reader has seen everything up to `seq`. */
  seen?(seq: number): void;
}

/** Merges messages into a list ordered by seq, without duplicates. */
function merge<M extends ThreadMessage>(list: M[], incoming: M[]): M[] {
  if (incoming.length === 0) return list;
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

const PARALLEL_UPLOADS = 3;

function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A conversation's messages and composer: the newest page on entering, older pages as the reader
 * scrolls up, live messages, pending/sent/failed sends with retry, and after a reconnect what
 * was missed, by seq, without gaps or duplicates.
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
}: {
  socket: ChatSocket | null;
  source: ThreadSource<M>;
  me: { id: string; username: string };
  placeholder: string;
  beginning: string;
  /** what dropping files here does, e.g. "Drop files to share them in #general" */
  dropLabel: string;
  maxUploadBytes: number;
  onError(message: string, code?: string): void;
}) {
  const [messages, setMessages] = useState<M[]>([]);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  /** uploads already handed to the network, so a re-render never starts one twice */
  const started = useRef(new Set<string>());
  const [hasMore, setHasMore] = useState(false);
  const [ready, setReady] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const restoreFrom = useRef<number | null>(null);
  const lastSeq = useRef(0);
  lastSeq.current = messages.length > 0 ? messages[messages.length - 1].seq : 0;

  const enter = useCallback(async () => {
    try {
      if (lastSeq.current === 0) {
        const page = await source.enter();
        setMessages(page.messages);
        setHasMore(page.hasMore);
      } else {
        await source.enter();
        let more = true;
        while (more) {
          const page = await source.after(lastSeq.current);
          setMessages((list) => merge(list, page.messages));
          lastSeq.current = page.messages.at(-1)?.seq ?? lastSeq.current;
          more = page.hasMore && page.messages.length > 0;
        }
      }
      setReady(true);
    } catch (error) {
      const { message, code } = error as { message: string; code?: string };
      onError(message, code);
    }
  }, [source, onError]);

  useEffect(() => {
    if (!socket) return;
    const unsubscribe = source.subscribe(socket, (m) => {
      setMessages((list) => merge(list, [m]));
      if (m.author.id === me.id) {
        setPending((p) => p.filter((x) => x.clientMsgId !== m.clientMsgId));
        setUploads((u) => u.filter((x) => x.clientMsgId !== m.clientMsgId));
      }
    });
    socket.on("connect", enter);
    if (socket.connected) void enter();
    return () => {
      unsubscribe();
      socket.off("connect", enter);
    };
  }, [socket, source, me.id, enter]);

  useEffect(() => {
    if (ready && lastSeq.current > 0) source.seen?.(lastSeq.current);
  });

  const loadOlder = useCallback(async () => {
    if (loadingOlder || !hasMore || messages.length === 0) return;
    setLoadingOlder(true);
    try {
      const page = await source.before(messages[0].seq);
      restoreFrom.current = scroller.current ? scroller.current.scrollHeight - scroller.current.scrollTop : null;
      setMessages((list) => merge(list, page.messages));
      setHasMore(page.hasMore);
    } catch {
      // the next scroll tries again
    } finally {
      setLoadingOlder(false);
    }
  }, [source, messages, hasMore, loadingOlder]);

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
  }, [messages, pending, uploads.length]);

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
    setPending((p) => [...p.filter((x) => x.clientMsgId !== item.clientMsgId), { ...item, status: "pending", error: undefined }]);
    stickToBottom.current = true;
    try {
      const message = await source.send(item.body, item.clientMsgId);
      setMessages((list) => merge(list, [message]));
      setPending((p) => p.filter((x) => x.clientMsgId !== item.clientMsgId));
    } catch (error) {
      const reason = error instanceof Error ? error.message : "Not sent.";
      setPending((p) => p.map((x) => (x.clientMsgId === item.clientMsgId ? { ...x, status: "failed", error: reason } : x)));
    }
  }

  /** Queues a file to share; a file over the limit fails at once, without a request. */
  function share(file: File, clientMsgId = newClientMsgId()) {
    stickToBottom.current = true;
    started.current.delete(clientMsgId);
    const entry: PendingUpload =
      file.size > maxUploadBytes
        ? {
            clientMsgId,
            file,
            progress: 0,
            status: "failed",
            retryable: false,
            error: `Too large: the limit is ${formatSize(maxUploadBytes)}.`,
          }
        : { clientMsgId, file, progress: 0, status: "queued" };
    setUploads((list) => [...list.filter((u) => u.clientMsgId !== clientMsgId), entry]);
  }

  // A few uploads at a time (the server takes four per user); the rest wait their turn, in order.
  useEffect(() => {
    let running = uploads.filter((u) => u.status === "uploading").length;
    for (const u of uploads) {
      if (running >= PARALLEL_UPLOADS) break;
      if (u.status !== "queued" || started.current.has(u.clientMsgId)) continue;
      started.current.add(u.clientMsgId);
      running += 1;
      start(u);
    }
  });

  function start({ file, clientMsgId }: PendingUpload) {
    const update = (change: Partial<PendingUpload>) =>
      setUploads((list) => list.map((u) => (u.clientMsgId === clientMsgId ? { ...u, ...change } : u)));
    const { done, cancel } = source.upload(file, clientMsgId, (progress) => update({ progress }));
    update({ status: "uploading", cancel });
    done.then(
      (message) => {
        setMessages((list) => merge(list, [message]));
        setUploads((list) => list.filter((u) => u.clientMsgId !== clientMsgId));
      },
      (error: unknown) => {
        if (error instanceof UploadCancelled) setUploads((list) => list.filter((u) => u.clientMsgId !== clientMsgId));
        else update({ status: "failed", error: error instanceof Error ? error.message : "Not shared." });
      },
    );
  }

  const canShare = ready && !!socket;
  const hasFiles = (e: React.DragEvent) => e.dataTransfer.types.includes("Files");

  return (
    <section
      aria-label="Conversation"
      className="relative flex min-h-0 flex-1 flex-col"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragDepth.current += 1;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = canShare ? "copy" : "none";
      }}
      onDragLeave={(e) => {
        if (!hasFiles(e)) return;
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragDepth.current = 0;
        setDragging(false);
        if (canShare) for (const file of Array.from(e.dataTransfer.files)) share(file);
      }}
    >
      {dragging && (
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-2 z-10 grid place-items-center rounded-2xl border-2 border-dashed border-brand-500 bg-brand-50/90 text-lg font-medium text-brand-700 dark:bg-slate-900/90 dark:text-brand-100"
        >
          {canShare ? dropLabel : "Wait until the conversation has loaded"}
        </div>
      )}
      <div
        ref={scroller}
        onScroll={onScroll}
        className="min-h-0 flex-1 overflow-y-auto px-3 py-4 sm:px-5"
        data-testid="message-scroller"
      >
        {loadingOlder && <p className="pb-2 text-center text-xs text-slate-500">Loading older messages…</p>}
        {!hasMore && ready && <p className="pb-4 text-center text-xs text-slate-500 dark:text-slate-400">{beginning}</p>}
        <MessageList
          messages={messages}
          pending={pending}
          uploads={uploads}
          me={me}
          onRetry={deliver}
          onRetryUpload={(u) => share(u.file, u.clientMsgId)}
          onDismissUpload={(u) => {
            u.cancel?.();
            setUploads((list) => list.filter((x) => x.clientMsgId !== u.clientMsgId));
          }}
        />
      </div>
      <Composer
        disabled={!canShare}
        placeholder={placeholder}
        onSend={(body) => void deliver({ clientMsgId: newClientMsgId(), body, status: "pending" })}
        onAttach={(files) => {
          for (const file of files) share(file);
        }}
      />
    </section>
  );
}
