"use client";

import type { ErrorBody, UploadReply, WireDirectMessage, WireMessage } from "@/server/protocol";
import { RequestError } from "@/server/protocol/request";

export class UploadCancelled extends Error {}

/** Where an upload goes: a room, a conversation, or (for the first message) a person. */
export type UploadTarget = { roomId: string } | { conversationId: string } | { to: string };

/**
 * POSTs `file` to /api/files for `target`, reporting progress; resolves with the message that
 * carries it. XMLHttpRequest, because fetch cannot report upload progress.
 */
export function uploadFile<M extends WireMessage | WireDirectMessage>(
  file: File,
  target: UploadTarget,
  clientMsgId: string,
  onProgress: (fraction: number) => void,
): { done: Promise<M>; cancel: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<M>((resolve, reject) => {
    xhr.open("POST", `/api/files?${new URLSearchParams({ ...target, name: file.name, clientMsgId })}`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as (Partial<UploadReply<M>> & { error?: ErrorBody }) | null;
      if ((xhr.status === 200 || xhr.status === 201) && body?.message) resolve(body.message);
      else {
        const error = body?.error;
        // a proxy's own 413 has no body of ours
        const code = error?.code ?? (xhr.status === 413 ? "too_large" : "internal");
        reject(new RequestError(code, error?.message ?? `HTTP ${xhr.status}`, error?.retryAfter));
      }
    };
    xhr.onerror = () => reject(Object.assign(new Error("connection lost"), { code: "network" }));
    xhr.onabort = () => reject(new UploadCancelled("Cancelled."));
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}
