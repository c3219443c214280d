"use client";

import { useTranslations } from "next-intl";
import { fileUrl } from "@/app/lib/file-url";
import { fileKind, useFormat } from "@/app/lib/format";
import type { WireFile } from "@/server/protocol";
import { RemoveFile } from "./remove-file";

/** A file's name, as its download link, over its size and type: how every list names a file. */
export function FileTitle({ file }: { file: WireFile }) {
  const format = useFormat();
  return (
    <>
      <a
        translate="no"
        href={fileUrl(file.id)}
        download={file.name}
        className="block truncate font-medium text-brand-700 hover:underline dark:text-brand-100"
      >
        {file.name}
      </a>
      <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
        {format.size(file.size)} · {file.type}
      </span>
    </>
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

/** A PDF opens in the browser's own viewer, in a new tab (a separate, sandboxed response); other files only download. */
export function OpenPdf({ file }: { file: WireFile }) {
  const t = useTranslations("files");
  if (file.type !== "application/pdf") return null;
  return (
    <a
      href={`${fileUrl(file.id)}/view`}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={t("openPdf", { name: file.name })}
      title={t("openPdf", { name: file.name })}
      className="shrink-0 rounded-md px-2 py-1 text-xs font-medium text-brand-700 hover:bg-slate-100 dark:text-brand-100 dark:hover:bg-slate-800"
    >
      {t("open")}
    </a>
  );
}

function DownloadIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8">
      <path d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 15.5h12" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * A shared file inside a message: a thumbnail for pictures, name, size, type and a download link;
 * for its uploader (`onRemove`), a way to remove it; once removed, only that it was.
 */
export function FileCard({
  file,
  onRemove,
  onView,
}: {
  file: WireFile;
  onRemove?: () => Promise<unknown>;
  /** opens the picture in the viewer */
  onView?: () => void;
}) {
  const t = useTranslations("files");
  const href = fileUrl(file.id);
  if (file.removed) {
    return (
      <p
        data-testid="removed-file"
        className="mt-1 inline-flex items-center gap-2 rounded-xl border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-500 italic dark:border-slate-700 dark:text-slate-400"
      >
        {t("removed")}
      </p>
    );
  }
  return (
    <figure className="mt-1 inline-block max-w-full" data-testid="shared-file">
      {file.thumbnail && (
        <button
          type="button"
          onClick={onView}
          disabled={!onView}
          className="block w-fit cursor-zoom-in rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
          title={t("view", { name: file.name })}
        >
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
        </button>
      )}
      <figcaption
        className={`flex max-w-sm items-center gap-3 rounded-xl border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900 ${file.thumbnail ? "mt-1" : ""}`}
      >
        {!file.thumbnail && <FileBadge file={file} />}
        <span className="min-w-0 flex-1">
          <FileTitle file={file} />
        </span>
        <OpenPdf file={file} />
        <a
          href={href}
          download={file.name}
          aria-label={t("download", { name: file.name })}
          className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
        >
          <DownloadIcon />
        </a>
        {onRemove && <RemoveFile name={file.name} onRemove={onRemove} />}
      </figcaption>
    </figure>
  );
}
