import { formatSize } from "@/app/lib/format";
import { Button } from "../ui/button";
import { FileBadge } from "./file-card";

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
        <Button variant="ghost" size="xs" onClick={upload.status === "uploading" ? upload.cancel : onDismiss}>
          Cancel
        </Button>
      ) : (
        <span className="flex gap-1">
          {upload.retryable !== false && (
            <Button variant="danger" size="xs" onClick={onRetry}>
              Retry
            </Button>
          )}
          <Button variant="ghost" size="xs" onClick={onDismiss} aria-label={`Remove ${file.name}`}>
            Remove
          </Button>
        </span>
      )}
    </div>
  );
}
