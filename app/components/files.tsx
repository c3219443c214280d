"use client";

import type { WireFile } from "@/server/protocol";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 && !Number.isInteger(value) ? value.toFixed(1) : String(Math.round(value));
  return `${shown} ${units[unit]}`;
}

export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;

/** What kind of file, in a word: the extension, else the MIME subtype. */
export function fileKind(file: { name: string; type: string }): string {
  const dot = file.name.lastIndexOf(".");
  if (dot > 0 && file.name.length - dot <= 6) return file.name.slice(dot + 1).toUpperCase();
  return (
    (file.type.split("/")[1] ?? "file")
      .split(/[.+;-]/)[0]
      .toUpperCase()
      .slice(0, 5) || "FILE"
  );
}

/** A file's kind as a small tile ("PDF", "ZIP"). */
export function FileBadge({ file, small = false }: { file: { name: string; type: string }; small?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={`grid shrink-0 place-items-center bg-brand-50 font-bold tracking-wide text-brand-700 dark:bg-brand-500/15 dark:text-brand-100 ${small ? "h-7 w-7 rounded-md text-[8px]" : "h-10 w-10 rounded-lg text-[10px]"}`}
    >
      {fileKind(file)}
    </span>
  );
}

/** A list's icon for a file: its thumbnail, cropped square, or its kind. */
export function FileIcon({ file }: { file: WireFile }) {
  if (!file.thumbnail) return <FileBadge file={file} />;
  return (
    // biome-ignore lint/performance/noImgElement: a member-only thumbnail from our own API
    <img
      src={`${fileUrl(file.id)}/thumbnail`}
      alt=""
      width={40}
      height={40}
      loading="lazy"
      className="h-10 w-10 shrink-0 rounded-lg border border-slate-200 object-cover dark:border-slate-700"
    />
  );
}

function DownloadIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8">
      <path d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 15.5h12" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A shared file inside a message: a thumbnail for pictures, name, size, type and a download link. */
export function FileCard({ file }: { file: WireFile }) {
  const href = fileUrl(file.id);
  return (
    <figure className="mt-1 inline-block max-w-full" data-testid="shared-file">
      {file.thumbnail && (
        <a href={href} download={file.name} className="block w-fit" title={`Download ${file.name}`}>
          {/* biome-ignore lint/performance/noImgElement: a member-only thumbnail from our own API, at its own size */}
          <img
            src={`${href}/thumbnail`}
            alt={file.name}
            width={file.thumbnail.width}
            height={file.thumbnail.height}
            loading="lazy"
            // the width and height attributes reserve the picture's space before it loads, so the
            // thread does not jump
            className="h-auto max-w-full rounded-lg border border-slate-200 bg-slate-100 dark:border-slate-800 dark:bg-slate-900"
          />
        </a>
      )}
      <figcaption
        className={`flex max-w-sm items-center gap-3 rounded-xl border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900 ${file.thumbnail ? "mt-1" : ""}`}
      >
        {!file.thumbnail && <FileBadge file={file} />}
        <span className="min-w-0 flex-1">
          <a
            href={href}
            download={file.name}
            className="block truncate font-medium text-brand-700 hover:underline dark:text-brand-100"
          >
            {file.name}
          </a>
          <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
            {formatSize(file.size)} · {file.type}
          </span>
        </span>
        <a
          href={href}
          download={file.name}
          aria-label={`Download ${file.name}`}
          className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
        >
          <DownloadIcon />
        </a>
      </figcaption>
    </figure>
  );
}

/** An upload on its way (or stopped), as the thread shows it until its message arrives. */
export interface PendingUpload {
  clientMsgId: string;
  file: File;
  /** 0..1 */
  progress: number;
  status: "queued" | "uploading" | "failed";
  error?: string;
  /** false when trying again cannot help (the file is over the limit) */
  retryable?: boolean;
  cancel?: () => void;
}

export function UploadCard({
  upload,
  onRetry,
  onDismiss,
}: {
  upload: PendingUpload;
  onRetry: () => void;
  onDismiss: () => void;
}) {
  const percent = Math.round(upload.progress * 100);
  const { file } = upload;
  return (
    <div className="mt-1 flex max-w-sm items-center gap-3 rounded-xl border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <FileBadge file={file} />
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium">{file.name}</p>
        {upload.status === "queued" ? (
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Waiting to upload · {formatSize(file.size)}</p>
        ) : upload.status === "uploading" ? (
          <>
            <div
              role="progressbar"
              aria-label={`Uploading ${file.name}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
            >
              <div className="h-full rounded-full bg-brand-500 transition-[width]" style={{ width: `${percent}%` }} />
            </div>
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              {percent < 100 ? `${percent}% of ${formatSize(file.size)}` : "Saving…"}
            </p>
          </>
        ) : (
          <p role="alert" className="text-xs text-red-700 dark:text-red-300">
            {upload.error}
          </p>
        )}
      </div>
      {upload.status !== "failed" ? (
        <button
          type="button"
          onClick={upload.status === "uploading" ? upload.cancel : onDismiss}
          className="rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Cancel
        </button>
      ) : (
        <span className="flex gap-1">
          {upload.retryable !== false && (
            <button
              type="button"
              onClick={onRetry}
              className="rounded-md border border-red-300 px-2 py-0.5 text-xs font-medium text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
            >
              Retry
            </button>
          )}
          <button
            type="button"
            onClick={onDismiss}
            aria-label={`Remove ${file.name}`}
            className="rounded-md px-2 py-0.5 text-xs text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          >
            Remove
          </button>
        </span>
      )}
    </div>
  );
}

export class UploadCancelled extends Error {}

/**
 * POSTs `file` to /api/files for `target` ({ roomId } | { conversationId } | { to }), reporting
 * progress; resolves with the message that carries it. XMLHttpRequest, because fetch cannot
 * report upload progress.
 */
export function uploadFile<M>(
  file: File,
  target: Record<string, string>,
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
      const body = xhr.response as { message?: M; error?: { message: string } } | null;
      if ((xhr.status === 200 || xhr.status === 201) && body?.message) resolve(body.message);
      else reject(new Error(body?.error?.message ?? `Upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("Upload failed: the connection was lost."));
    xhr.onabort = () => reject(new UploadCancelled("Cancelled."));
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}
