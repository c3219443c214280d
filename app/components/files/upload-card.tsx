"use client";

import { useTranslations } from "next-intl";
import { useFormat } from "@/app/lib/format";
import { type Problem, useProblemText } from "@/app/lib/problems";
import { Button } from "../ui/button";
import { FileBadge } from "./file-card";

/** An upload on its way (or stopped), as the thread shows it until its message arrives. */
export interface PendingUpload {
  clientMsgId: string;
  file: File;
  /** 0..1 */
  progress: number;
  status: "queued" | "uploading" | "failed";
  error?: Problem;
  /** false when trying again cannot help (the file is over the limit) */
  retryable?: boolean;
  /** the size limit a file too large was refused by, before sending */
  limit?: number;
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
  const t = useTranslations("upload");
  const say = useProblemText();
  const format = useFormat();
  const percent = Math.round(upload.progress * 100);
  const { file } = upload;
  return (
    <div className="mt-1 flex max-w-sm items-center gap-3 rounded-xl border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <FileBadge file={file} />
      <div className="min-w-0 flex-1">
        <p translate="no" className="truncate font-medium">
          {file.name}
        </p>
        {upload.status === "queued" ? (
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t("queued", { size: format.size(file.size) })}</p>
        ) : upload.status === "uploading" ? (
          <>
            <div
              role="progressbar"
              aria-label={t("progress", { name: file.name })}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
            >
              <div className="h-full rounded-full bg-brand-500 transition-[width]" style={{ width: `${percent}%` }} />
            </div>
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              {percent < 100 ? t("percent", { percent, size: format.size(file.size) }) : t("saving")}
            </p>
          </>
        ) : (
          <p role="alert" className="text-xs text-red-700 dark:text-red-300">
            {upload.error?.code === "too_large" && upload.retryable === false
              ? t("tooLarge", { limit: format.size(upload.limit ?? 0) })
              : say(upload.error, "upload")}
          </p>
        )}
      </div>
      {upload.status !== "failed" ? (
        <Button variant="ghost" size="xs" onClick={upload.status === "uploading" ? upload.cancel : onDismiss}>
          {t("cancel")}
        </Button>
      ) : (
        <span className="flex gap-1">
          {upload.retryable !== false && (
            <Button variant="danger" size="xs" onClick={onRetry}>
              {t("retry")}
            </Button>
          )}
          <Button variant="ghost" size="xs" onClick={onDismiss} aria-label={t("dismiss", { name: file.name })}>
            {t("remove")}
          </Button>
        </span>
      )}
    </div>
  );
}
