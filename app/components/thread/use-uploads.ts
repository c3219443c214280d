"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { problemOf } from "@/app/lib/problems";
import { newClientMsgId } from "@/server/protocol/client-ids";
import type { PendingUpload } from "../files/upload-card";
import { UploadCancelled } from "../files/upload-file";
import type { ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/** Uploads from one page at a time (the server takes four per user); the rest wait their turn, in order. */
const PARALLEL_UPLOADS = 3;

/** Files being shared into a thread: queued, uploading with progress, or failed with Retry. */
export function useUploads<M extends ThreadMessage>(
  source: ThreadSource<M>,
  maxUploadBytes: number,
  onShared: (messages: M[]) => void,
) {
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  /** uploads already handed to the network, so a re-render never starts one twice */
  const started = useRef(new Set<string>());

  const remove = useCallback(
    (clientMsgId: string) => setUploads((list) => list.filter((u) => u.clientMsgId !== clientMsgId)),
    [],
  );

  /** Queues a file to share; a file over the limit fails at once, without a request. */
  const share = useCallback(
    (file: File, clientMsgId = newClientMsgId()) => {
      started.current.delete(clientMsgId);
      const entry: PendingUpload =
        file.size > maxUploadBytes
          ? {
              clientMsgId,
              file,
              progress: 0,
              status: "failed",
              retryable: false,
              error: { code: "too_large" },
              limit: maxUploadBytes,
            }
          : { clientMsgId, file, progress: 0, status: "queued" };
      setUploads((list) => [...list.filter((u) => u.clientMsgId !== clientMsgId), entry]);
    },
    [maxUploadBytes],
  );

  useEffect(() => {
    const update = (clientMsgId: string, change: Partial<PendingUpload>) =>
      setUploads((list) => list.map((u) => (u.clientMsgId === clientMsgId ? { ...u, ...change } : u)));
    let running = uploads.filter((u) => u.status === "uploading").length;
    for (const u of uploads) {
      if (running >= PARALLEL_UPLOADS) break;
      if (u.status !== "queued" || started.current.has(u.clientMsgId)) continue;
      started.current.add(u.clientMsgId);
      running += 1;
      const { clientMsgId } = u;
      const { done, cancel } = source.upload(u.file, clientMsgId, (progress) => update(clientMsgId, { progress }));
      update(clientMsgId, { status: "uploading", cancel });
      done.then(
        (message) => {
          onShared([message]);
          remove(clientMsgId);
        },
        (error: unknown) => {
          if (error instanceof UploadCancelled) remove(clientMsgId);
          else update(clientMsgId, { status: "failed", error: problemOf(error) });
        },
      );
    }
  }, [uploads, source, onShared, remove]);

  /** Stops an upload (if it is running) and takes it off the list. */
  const dismiss = useCallback(
    (u: PendingUpload) => {
      u.cancel?.();
      remove(u.clientMsgId);
    },
    [remove],
  );

  return { uploads, share, dismiss, arrived: remove };
}
